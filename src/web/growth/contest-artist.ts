import type { ArtistInput, Section } from './types.js';

/** The contest panel of the campaign dashboard (issue 13). */
export async function contestPanel(_i: ArtistInput): Promise<Section> {
  return '';
}

/** The contest section of the campaign's Growth page (/w/<ws>/campaigns/<slug>/growth). */
export async function contestSettings(_i: ArtistInput): Promise<Section> {
  return '';
}
