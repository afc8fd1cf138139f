import { Type, type Static } from 'typebox';
import type { Match } from '../../releases/matches.js';
import type { CampaignLink } from '../../smartlink/links.js';
import { iso, NullableTimestamp, Timestamp } from '../schemas.js';

/** A campaign's link-outs and release matches as the API shows them (and the CLI's remote mode reads them). */
export const LinkSchema = Type.Object(
  {
    service: Type.String(),
    url: Type.String(),
    source: Type.Union([Type.String(), Type.Null()], { description: 'Where a found link came from; null: the artist’s own.' }),
    found_at: NullableTimestamp,
    accepted_at: NullableTimestamp,
  },
  { $id: 'CampaignLink' },
);
export type LinkWire = Static<typeof LinkSchema>;

export const MatchSchema = Type.Object(
  {
    service: Type.String(),
    market: Type.Union([Type.String(), Type.Null()], { description: 'The market (country) matched in; null: every market.' }),
    album_uri: Type.String(),
    album_url: Type.Union([Type.String(), Type.Null()]),
    artist_uris: Type.Array(Type.String()),
    title: Type.Union([Type.String(), Type.Null()]),
    matched_by: Type.String({ description: 'upc, isrc, title, or override (set by the artist).' }),
    overridden: Type.Boolean(),
    resolved_at: Timestamp,
  },
  { $id: 'ReleaseMatch' },
);
export type MatchWire = Static<typeof MatchSchema>;

export const linkWire = (l: CampaignLink): LinkWire => ({
  service: l.service,
  url: l.url,
  source: l.source,
  found_at: iso(l.foundAt),
  accepted_at: iso(l.acceptedAt),
});

export const matchWire = (m: Match): MatchWire => ({
  service: m.service,
  market: m.market || null,
  album_uri: m.albumUri,
  album_url: m.albumUrl,
  artist_uris: m.artistUris,
  title: m.title || null,
  matched_by: m.matchedBy,
  overridden: m.overridden,
  resolved_at: iso(Number(m.resolvedAt)),
});
