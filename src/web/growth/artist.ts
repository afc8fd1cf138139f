import { html } from '../html.js';
import { contestPanel, contestSettings } from './contest-artist.js';
import { previewPanel, previewSettings } from './preview-artist.js';
import { referralPanel, referralSettings } from './referral-artist.js';
import type { ArtistInput, Section } from './types.js';
import { vaultPanel, vaultSettings } from './vault-artist.js';

/** The growth panels of the campaign dashboard: referrals, contest, vault, early access. */
export async function dashboardGrowth(i: ArtistInput): Promise<Section> {
  const parts = await Promise.all([referralPanel(i), contestPanel(i), vaultPanel(i), previewPanel(i)]);
  return html`${parts}`;
}

/** The sections of the campaign's Growth page, in the order an artist sets them up. */
export async function growthSettings(i: ArtistInput): Promise<Section> {
  const parts = await Promise.all([referralSettings(i), contestSettings(i), vaultSettings(i), previewSettings(i)]);
  return html`${parts}`;
}
