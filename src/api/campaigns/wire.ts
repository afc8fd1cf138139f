import { Type, type Static } from 'typebox';
import type { Campaign } from '../../campaigns/repo.js';
import { describeRelease } from '../../campaigns/timing.js';
import type { CampaignInput } from '../../campaigns/validate.js';
import { DropdayError, ValidationError } from '../../errors.js';
import { SLUG_USED } from '../../editor/service.js';
import { iso, Timestamp } from '../schemas.js';

/**
 * A campaign as the API shows it and takes it: snake_case names, times as ISO 8601, the public
 * page's address, never the internal numeric id. The CLI's remote mode reads this same shape.
 */
export const CampaignSchema = Type.Object(
  {
    slug: Type.String(),
    title: Type.String(),
    artist: Type.String(),
    type: Type.Union([Type.Literal('single'), Type.Literal('ep'), Type.Literal('album')]),
    artwork_url: Type.Union([Type.String(), Type.Null()]),
    upc: Type.Union([Type.String(), Type.Null()]),
    isrcs: Type.Array(Type.String()),
    release_at: Type.String({ description: 'The release time as the artist gave it, in `timezone` (e.g. 2026-12-05T00:00).' }),
    timezone: Type.String({ description: 'IANA time zone of `release_at`.' }),
    timing: Type.Union([Type.Literal('local'), Type.Literal('global')], {
      description: "local: at `release_at` in each fan's zone; global: one instant everywhere.",
    }),
    release: Type.String({ description: 'The release moment in words.' }),
    first_release_at: Timestamp,
    last_release_at: Timestamp,
    services: Type.Array(Type.String()),
    follow_artist: Type.Boolean(),
    status: Type.Union([Type.Literal('active'), Type.Literal('archived')]),
    demo: Type.Boolean(),
    urls: Type.Object({ page: Type.String({ description: 'The public page fans visit.' }), api: Type.String() }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Campaign' },
);
export type CampaignWire = Static<typeof CampaignSchema>;

export function campaignWire(publicUrl: string, c: Campaign): CampaignWire {
  return {
    slug: c.slug,
    title: c.title,
    artist: c.artist_name,
    type: c.release_type,
    artwork_url: c.artwork_url,
    upc: c.upc,
    isrcs: c.isrcs,
    release_at: c.release_local,
    timezone: c.release_timezone,
    timing: c.timing,
    release: describeRelease(c),
    first_release_at: iso(Number(c.first_release_at)),
    last_release_at: iso(Number(c.last_release_at)),
    services: c.services,
    follow_artist: c.follow_artist,
    status: c.status,
    demo: c.is_demo,
    urls: { page: `${publicUrl}/${c.slug}`, api: `${publicUrl}/api/v1/campaigns/${c.slug}` },
    created_at: iso(Number(c.created_at)),
    updated_at: iso(Number(c.updated_at)),
  };
}

/** The fields a client may give; the same names as the campaign it gets back. */
const fields = {
  slug: Type.String({ maxLength: 200 }),
  title: Type.String({ maxLength: 1000 }),
  artist: Type.String({ maxLength: 1000 }),
  type: Type.String({ maxLength: 20, description: 'single, ep or album (default single).' }),
  artwork_url: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]),
  upc: Type.Union([Type.String({ maxLength: 40 }), Type.Null()]),
  isrcs: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 200 }),
  release_at: Type.String({
    maxLength: 40,
    description: '2026-12-05T00:00 (in `timezone`), 2026-12-05, or an instant like 2026-12-05T00:00:00Z.',
  }),
  timezone: Type.String({ maxLength: 100, description: 'IANA time zone (default UTC).' }),
  timing: Type.String({ maxLength: 20, description: 'local (default) or global.' }),
  services: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20, description: 'Pre-save services offered, e.g. ["spotify"].' }),
  follow_artist: Type.Boolean(),
};
const opt = <T extends Record<string, import('typebox').TSchema>>(o: T) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in keyof T]: ReturnType<typeof Type.Optional<T[K]>>;
  };

export const CampaignCreateBody = Type.Object(
  { ...opt(fields), slug: fields.slug, title: fields.title, artist: fields.artist, release_at: fields.release_at },
  { additionalProperties: false },
);
export const CampaignPatchBody = Type.Object(opt(fields), { additionalProperties: false, minProperties: 1 });
export type CampaignBody = Static<typeof CampaignPatchBody>;

export const DuplicateBody = Type.Object(
  {
    slug: fields.slug,
    release_at: Type.String({ maxLength: 40, description: 'The copy’s own release time (required: it must be in the future).' }),
    title: Type.Optional(fields.title),
  },
  { additionalProperties: false },
);

/** Each body field and its CampaignInput name (the editor's and the CLI's). */
const INPUT_NAMES = {
  slug: 'slug',
  title: 'title',
  artist: 'artistName',
  type: 'releaseType',
  artwork_url: 'artworkUrl',
  upc: 'upc',
  isrcs: 'isrcs',
  release_at: 'releaseAt',
  timezone: 'timezone',
  timing: 'timing',
  services: 'services',
  follow_artist: 'followArtist',
} as const satisfies Record<keyof CampaignBody, keyof CampaignInput>;

function rename(from: Record<string, unknown>, names: Array<[string, string]>): Record<string, unknown> {
  return Object.fromEntries(names.filter(([f]) => from[f] !== undefined).map(([f, t]) => [t, from[f]]));
}

/** The body → what src/campaigns validates. */
export function inputOf(b: CampaignBody): CampaignInput {
  return rename(b, Object.entries(INPUT_NAMES)) as CampaignInput;
}

/** The inverse: what a client (the CLI's remote mode) sends for a CampaignInput. */
export function bodyOf(i: CampaignInput): CampaignBody {
  return rename(
    i as Record<string, unknown>,
    Object.entries(INPUT_NAMES).map(([f, t]) => [t, f]),
  ) as CampaignBody;
}

/** src/campaigns' (and the editor's) field names → the body's. */
const FIELD_NAMES: Record<string, string> = {
  artwork: 'artwork_url',
  isrc: 'isrcs',
  releaseAt: 'release_at',
  artistName: 'artist',
  followArtist: 'follow_artist',
};

/**
 * Runs `fn`, naming a refused field as the client sent it (`body.release_at`). The editor's words for
 * a taken slug become 409 SLUG_TAKEN, as the API documents.
 */
export async function asApiFields<T>(fn: () => Promise<T>, where = 'body'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof ValidationError) || !err.details) throw err;
    const details = Object.fromEntries(Object.entries(err.details).map(([k, v]) => [`${where}.${FIELD_NAMES[k] ?? k}`, v]));
    if (err.details.slug === SLUG_USED)
      throw new DropdayError('SLUG_TAKEN', 'That slug is already used by another campaign.', { [`${where}.slug`]: SLUG_USED });
    throw new ValidationError(details);
  }
}
