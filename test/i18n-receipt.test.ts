import { describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/repo.js';
import { isolate, t } from '../src/i18n/index.js';
import type { PresaveRow } from '../src/presaves/repo.js';
import { thanksPage } from '../src/web/views/thanks-page.js';

/** A failed pre-save's receipt: what it means for the fan, in their language; the service's raw answer stays on the dashboard. */
const campaign = {
  id: 1,
  slug: 'night',
  title: 'Night Drive',
  artist_name: 'Luna',
  artwork_url: null,
  last_release_at: 0,
  first_release_at: 0,
} as unknown as Campaign;
const failed = (reason: string) =>
  ({
    public_id: 'p1234567890',
    service: 'sandbox',
    status: 'failed',
    failure_reason: reason,
    timezone: 'UTC',
    follow_artist: 0,
  }) as unknown as PresaveRow;
const page = (reason: string, lang: 'de' | 'ar' | 'en') =>
  thanksPage({ campaign, presave: failed(reason), nonce: 'n', now: 1, lang }).value.replace(/\s+/g, ' ');

describe('the receipt of a failed pre-save', () => {
  it('says a withdrawn permission needs a new pre-save, in the fan’s language', () => {
    const html = page('authorization no longer valid (grant_dead)', 'de');
    expect(html).toContain(t('de', 'receipt.failed_authorization', { service: 'Sandbox' }));
    expect(html).not.toContain('grant_dead');
  });

  it('says any other failure plainly, without the service’s own words', () => {
    const html = page('spotify answered 500: upstream timeout', 'ar');
    expect(html).toContain(t('ar', 'receipt.failed_other', { service: isolate('ar', 'Sandbox') }));
    expect(html).toContain('dir="rtl"');
    expect(html).not.toContain('upstream timeout');
    expect(page('release not found', 'en')).toContain('Dropday could not save the release to your Sandbox library.');
  });
});
