import type { ConversionPlatform } from '../db/schema-conversions.js';

/**
 * The shapes of what an artist pastes into "Conversion tracking", checked before anything is
 * stored, each with the words that say where to find the right value.
 */
const ID_SHAPES: Record<ConversionPlatform, { re: RegExp; words: string }> = {
  // Events Manager → Data sources: a 15- or 16-digit number.
  meta: { re: /^\d{15,16}$/, words: 'is not a Meta pixel id: 15 or 16 digits, from Events Manager → Data sources' },
  // TikTok Events Manager: 20 capital letters and digits (e.g. C4ABCDEFGHIJKLMNOPQR).
  tiktok: { re: /^[A-Z0-9]{20}$/, words: 'is not a TikTok pixel code: 20 capital letters and digits, from TikTok Events Manager' },
  // Admin → Data streams → the web stream: G- and letters and digits.
  ga4: { re: /^G-[A-Z0-9]{4,12}$/, words: 'is not a GA4 measurement id: G- followed by letters and digits, from Admin → Data streams' },
};

/** Tokens and secrets: printable, no spaces (a pasted line break or a space is a copy mistake). */
const SECRET = /^[\x21-\x7e]{8,1024}$/;

export const ID_FIELD: Record<ConversionPlatform, string> = {
  meta: 'meta_pixel_id',
  tiktok: 'tiktok_pixel_code',
  ga4: 'ga4_measurement_id',
};
export const SECRET_FIELD: Record<ConversionPlatform, string> = { meta: 'meta_token', tiktok: 'tiktok_token', ga4: 'ga4_secret' };
const SECRET_WORDS: Record<ConversionPlatform, string> = {
  meta: 'the Conversions API access token',
  tiktok: 'the Events API access token',
  ga4: 'the Measurement Protocol API secret',
};

export interface PlatformInput {
  id: string;
  /** Empty: keep the stored one. */
  secret: string;
  remove: boolean;
}

/** What one platform's fields say, or the problems by field (nothing is stored when there is one). */
export function checkPlatform(
  p: ConversionPlatform,
  input: PlatformInput,
  hasStoredSecret: boolean,
  problems: Record<string, string>,
): { id: string | null; secret: string | null } | 'remove' {
  if (input.remove) return 'remove';
  const id = input.id.trim();
  const secret = input.secret.trim();
  if (!id && !secret) return { id: null, secret: null };
  if (!id) problems[ID_FIELD[p]] = `is empty: ${SECRET_WORDS[p]} needs the id it belongs to`;
  else if (!ID_SHAPES[p].re.test(id)) problems[ID_FIELD[p]] = ID_SHAPES[p].words;
  if (secret && !SECRET.test(secret)) problems[SECRET_FIELD[p]] = `is not ${SECRET_WORDS[p]}: 8 to 1024 characters without spaces`;
  else if (!secret && !hasStoredSecret) problems[SECRET_FIELD[p]] = `is empty: paste ${SECRET_WORDS[p]}`;
  return { id: id || null, secret: secret || null };
}
