import { explainFailure } from '../analytics/delivery-words.js';

/**
 * The `data` of each event (docs/webhooks.md has examples). Only what a workspace may share with
 * its own tools: campaign slug, title and artist, a pre-save's public id, service, status, the
 * reason in words, and times (ISO 8601). Never tokens, fans' addresses or service account ids.
 */
export interface CampaignFacts {
  slug: string;
  title: string;
  artist_name: string;
}

export function iso(ms: number | string | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}

export function campaignData(c: CampaignFacts): Record<string, unknown> {
  return { slug: c.slug, title: c.title, artist: c.artist_name };
}

export interface PresaveFacts {
  public_id: string;
  service: string;
  status: string;
  market: string | null;
  failure_reason: string | null;
  created_at: number | string;
  saved_at: number | string | null;
}

export function presaveData(c: CampaignFacts, p: PresaveFacts): Record<string, unknown> {
  return {
    campaign: campaignData(c),
    presave: {
      id: p.public_id,
      service: p.service,
      status: p.status,
      market: p.market,
      reason: p.status === 'failed' && p.failure_reason ? explainFailure(p.failure_reason).what : null,
      created_at: iso(p.created_at),
      saved_at: iso(p.saved_at),
    },
  };
}
