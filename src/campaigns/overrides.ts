import type { AppContext } from '../context.js';
import { ValidationError } from '../errors.js';
import { reopenLookups } from '../links/lookup/state.js';
import { serviceName } from '../providers/services.js';
import { clearMatches, overrideMatch } from '../releases/matches.js';
import { parseReleaseReference, type ParsedRelease } from '../releases/release-urls.js';
import { removeCampaignLink } from '../smartlink/links.js';
import { checkServiceIds, type IdWarning } from './id-check.js';
import type { Campaign } from './repo.js';

/**
 * An artist's own pick of the release on a service, and removing a link-out: the one code path of
 * `dropday campaign match|link` and the API's /matches and /links routes. Field names in problems
 * are the caller's (`--artist-uri` on the CLI, `body.artist_uris` in the API).
 */
export interface OverrideFieldNames {
  service: string;
  release: string;
  artists: string;
}

function offered(c: Campaign, service: string, names: OverrideFieldNames): void {
  if (!c.services.includes(service as never))
    throw new ValidationError({ [names.service]: `this campaign is not offered on "${service}"` });
}

/** Sets which release `service` saves for every fan (a store URL or URI), after asking the service about the ids. */
export async function setReleaseOverride(
  ctx: Pick<AppContext, 'db' | 'providers' | 'now'>,
  c: Campaign,
  service: string,
  release: string | undefined,
  artistUris: string[],
  names: OverrideFieldNames,
): Promise<{ release: ParsedRelease; warnings: IdWarning[] }> {
  offered(c, service, names);
  if (!release) throw new ValidationError({ [names.release]: 'give the release URL or URI' });
  const parsed = parseReleaseReference(service, release);
  if (!parsed) throw new ValidationError({ [names.release]: `is not a ${serviceName(service)} album URL or URI` });
  const bad = artistUris.find((a) => !a.startsWith(`${service}:artist:`));
  if (bad) throw new ValidationError({ [names.artists]: `"${bad}" is not a ${service}:artist: URI` });
  // Ask the service before saving: an id it does not know is refused now, not on release day.
  const { errors, warnings } = await checkServiceIds(ctx.providers, [
    { field: names.release, service, kind: 'release', uri: parsed.albumUri },
    ...artistUris.map((uri) => ({ field: names.artists, service, kind: 'artist' as const, uri })),
  ]);
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await overrideMatch(ctx.db, c.id, service, { ...parsed, artistUris }, ctx.now());
  return { release: parsed, warnings };
}

/** Forgets what `service` matched (the artist's pick included) so the next attempt looks the release up again. */
export async function clearReleaseMatch(
  ctx: Pick<AppContext, 'db'>,
  c: Campaign,
  service: string,
  names: OverrideFieldNames,
): Promise<number> {
  offered(c, service, names);
  return clearMatches(ctx.db, c.id, service);
}

/** Removes a link-out; look-ups may then fill the service again (a found link removed stays gone). */
export async function removeLinkOut(ctx: Pick<AppContext, 'db' | 'now'>, c: Campaign, service: string): Promise<void> {
  await removeCampaignLink(ctx.db, c.id, service, ctx.now());
  await reopenLookups(ctx.db, c.id, ctx.now());
}
