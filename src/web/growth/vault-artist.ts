import type { ArtistInput, Section } from './types.js';

/** The vault panel of the campaign dashboard (issue 13). */
export async function vaultPanel(_i: ArtistInput): Promise<Section> {
  return '';
}

/** The vault section of the campaign's Growth page (/w/<ws>/campaigns/<slug>/growth). */
export async function vaultSettings(_i: ArtistInput): Promise<Section> {
  return '';
}
