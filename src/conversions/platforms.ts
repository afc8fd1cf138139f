import type { ConversionEvent, ConversionPlatform } from '../db/schema-conversions.js';

/** The three platforms, in the order the editor and the docs list them. */
export const PLATFORMS: readonly ConversionPlatform[] = ['meta', 'tiktok', 'ga4'];

export const PLATFORM_NAMES: Record<ConversionPlatform, string> = { meta: 'Meta', tiktok: 'TikTok', ga4: 'Google Analytics 4' };

/** Each platform's own name for Dropday's three events (docs/conversions.md). */
export const EVENT_NAMES: Record<ConversionPlatform, Record<ConversionEvent, string>> = {
  meta: { page_view: 'PageView', lead: 'Lead', registration: 'CompleteRegistration' },
  tiktok: { page_view: 'ViewContent', lead: 'SubmitForm', registration: 'CompleteRegistration' },
  ga4: { page_view: 'page_view', lead: 'generate_lead', registration: 'sign_up' },
};

/** The governor key a platform's requests spend (shared by every worker). */
export const governorKey = (p: ConversionPlatform): string => `conv:${p}`;
