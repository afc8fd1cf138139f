import type { ArtistInput, Section } from './types.js';

/** The preview panel of the campaign dashboard (issue 13). */
export async function previewPanel(_i: ArtistInput): Promise<Section> {
  return '';
}

/** The preview section of the campaign's Growth page (/w/<ws>/campaigns/<slug>/growth). */
export async function previewSettings(_i: ArtistInput): Promise<Section> {
  return '';
}
