import type { ArtistInput, Section } from './types.js';

/** The referral panel of the campaign dashboard (issue 13). */
export async function referralPanel(_i: ArtistInput): Promise<Section> {
  return '';
}

/** The referral section of the campaign's Growth page (/w/<ws>/campaigns/<slug>/growth). */
export async function referralSettings(_i: ArtistInput): Promise<Section> {
  return '';
}
