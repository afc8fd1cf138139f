import type { Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import type { Db } from '../db/index.js';
import type { ConversionPlatform, ConversionSettingsTable } from '../db/schema-conversions.js';
import { ValidationError } from '../errors.js';
import { PLATFORMS } from './platforms.js';
import { checkPlatform, type PlatformInput } from './validate.js';

/**
 * THE ONLY WRITER of `conversion_settings` (docs/conversions.md): per campaign, each platform's id
 * and its token or secret, encrypted with the server's cipher (associated data names the campaign
 * and platform, so a ciphertext copied elsewhere does not decrypt). Tokens are never read back to
 * a page: the editor only learns whether one is set. A change reaches the cached campaign page
 * through the page-version trigger of migration 025.
 */
type Row = Selectable<ConversionSettingsTable>;

const COLUMNS = {
  meta: { id: 'meta_pixel_id', secret: 'meta_token_enc', refusedAt: 'meta_refused_at', refusal: 'meta_refusal' },
  tiktok: { id: 'tiktok_pixel_code', secret: 'tiktok_token_enc', refusedAt: 'tiktok_refused_at', refusal: 'tiktok_refusal' },
  ga4: { id: 'ga4_measurement_id', secret: 'ga4_secret_enc', refusedAt: null, refusal: null },
} as const;

const aad = (campaignId: number, p: ConversionPlatform) => `conversions:${campaignId}:${p}`;

/** What the editor shows of one platform: never the token itself. */
export interface PlatformView {
  id: string;
  secretSet: boolean;
  /** The platform refused the token: when, and its words. */
  refused: { at: number; words: string } | null;
}

export type ConversionSettingsView = Record<ConversionPlatform, PlatformView | null>;

async function rowOf(db: Db, campaignId: number): Promise<Row | undefined> {
  return db.selectFrom('conversion_settings').selectAll().where('campaign_id', '=', campaignId).executeTakeFirst();
}

function viewOf(row: Row | undefined): ConversionSettingsView {
  const out = { meta: null, tiktok: null, ga4: null } as ConversionSettingsView;
  if (!row) return out;
  for (const p of PLATFORMS) {
    const c = COLUMNS[p];
    const id = row[c.id];
    if (!id) continue;
    const at = c.refusedAt ? row[c.refusedAt] : null;
    out[p] = {
      id,
      secretSet: row[c.secret] !== null,
      refused: at !== null && c.refusal ? { at: Number(at), words: row[c.refusal] ?? '' } : null,
    };
  }
  return out;
}

export async function conversionSettings(db: Db, campaignId: number): Promise<ConversionSettingsView> {
  return viewOf(await rowOf(db, campaignId));
}

/**
 * The ids the campaign page loads pixels for and asks consent about: platforms with an id and a
 * token (a platform whose token was refused still has its browser pixel: the pixel needs no token).
 */
export async function pagePixels(db: Db, campaignId: number): Promise<Partial<Record<ConversionPlatform, string>>> {
  const v = await conversionSettings(db, campaignId);
  const out: Partial<Record<ConversionPlatform, string>> = {};
  for (const p of PLATFORMS) if (v[p]?.secretSet) out[p] = v[p].id;
  return out;
}

/** The platforms events go to now: set, and not refused. With their decrypted secrets (the worker only). */
export async function sendingPlatforms(
  ctx: Pick<AppContext, 'db' | 'cipher'>,
  campaignId: number,
): Promise<Partial<Record<ConversionPlatform, { id: string; secret: string }>>> {
  const row = await rowOf(ctx.db, campaignId);
  const out: Partial<Record<ConversionPlatform, { id: string; secret: string }>> = {};
  if (!row) return out;
  for (const p of PLATFORMS) {
    const c = COLUMNS[p];
    const id = row[c.id];
    const enc = row[c.secret];
    if (!id || !enc || (c.refusedAt && row[c.refusedAt] !== null)) continue;
    out[p] = { id, secret: ctx.cipher.decrypt(enc, aad(campaignId, p)) };
  }
  return out;
}

/**
 * Saves the form: each platform set, kept (an empty token field keeps the stored one), or removed.
 * Every problem at once, by field; nothing is stored when there is one. A new token clears the
 * platform's refusal (the artist fixed it).
 */
export async function saveConversionSettings(
  ctx: Pick<AppContext, 'db' | 'cipher'>,
  campaignId: number,
  input: Record<ConversionPlatform, PlatformInput>,
  now: number,
): Promise<void> {
  const row = await rowOf(ctx.db, campaignId);
  const problems: Record<string, string> = {};
  const set: Record<string, string | number | null> = {};
  for (const p of PLATFORMS) {
    const c = COLUMNS[p];
    const checked = checkPlatform(p, input[p], !!row?.[c.secret], problems);
    const clear = () => {
      set[c.id] = null;
      set[c.secret] = null;
      if (c.refusedAt) set[c.refusedAt] = null;
      if (c.refusal) set[c.refusal] = null;
    };
    if (checked === 'remove' || checked.id === null) {
      clear();
      continue;
    }
    set[c.id] = checked.id;
    if (checked.secret !== null) {
      set[c.secret] = ctx.cipher.encrypt(checked.secret, aad(campaignId, p));
      if (c.refusedAt) set[c.refusedAt] = null;
      if (c.refusal) set[c.refusal] = null;
    }
  }
  if (Object.keys(problems).length) throw new ValidationError(problems);
  await ctx.db
    .insertInto('conversion_settings')
    .values({ campaign_id: campaignId, ...set, updated_at: now } as never)
    .onConflict((oc) => oc.column('campaign_id').doUpdateSet({ ...set, updated_at: now } as never))
    .execute();
}

/** The platform refused the token (Meta 190, TikTok 40001): nothing more is sent until the artist replaces it. */
export async function markRefused(db: Db, campaignId: number, p: 'meta' | 'tiktok', words: string, now: number): Promise<void> {
  const c = COLUMNS[p];
  await db
    .updateTable('conversion_settings')
    .set({ [c.refusedAt]: now, [c.refusal]: words.slice(0, 300), updated_at: now } as never)
    .where('campaign_id', '=', campaignId)
    .where(c.refusedAt, 'is', null)
    .execute();
}
