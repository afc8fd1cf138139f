import type { ProviderRegistry } from '../providers/registry.js';
import { serviceName } from '../providers/services.js';
import type { IdLookup } from '../providers/types.js';

/**
 * Checks the per-service ids an artist enters (the artist to follow, a release override) against
 * the service when they are saved, in the editor and the CLI, so a wrong id is caught then and
 * not on release day (when the engine would pause the campaign, see fulfillment/process.ts).
 *
 * An id the service says it does not know is refused, naming the field. An id that cannot be
 * checked — no credentials for a look-up, the service unreachable or too slow — is saved with a
 * warning the editor page shows and the CLI prints.
 */
export interface IdToCheck {
  /** The form field (e.g. `artist_spotify`) the problem is reported on. */
  field: string;
  service: string;
  kind: 'artist' | 'release';
  uri: string;
}

/** Why an id was saved unchecked. */
export type UncheckedReason = 'credentials' | 'timeout' | 'unreachable';

export interface IdWarning {
  field: string;
  service: string;
  kind: 'artist' | 'release';
  reason: UncheckedReason;
  /** The whole warning, in words. */
  text: string;
}

export interface IdCheckResult {
  /** Field → what is wrong: the save is refused. */
  errors: Record<string, string>;
  /** What could not be checked: saved, with these shown. */
  warnings: IdWarning[];
}

/** The warning for an id saved unchecked. */
export function uncheckedWarning(service: string, kind: 'artist' | 'release', reason: UncheckedReason, uri?: string): string {
  const name = serviceName(service);
  const what = kind === 'artist' ? 'artist to follow' : 'release';
  const why =
    reason === 'credentials'
      ? `this server has no ${name} credentials for a look-up`
      : reason === 'timeout'
        ? `${name} did not answer in time`
        : `${name} could not be reached`;
  return `The ${name} ${what}${uri ? ` (${uri})` : ''} was saved without being checked: ${why}. Make sure it is right before release day.`;
}

/** How long a look-up may take before the id is saved unchecked. */
export const LOOKUP_TIMEOUT_MS = 5_000;

function withTimeout(p: Promise<IdLookup>, ms: number): Promise<IdLookup | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function checkServiceIds(
  providers: ProviderRegistry,
  ids: IdToCheck[],
  timeoutMs = LOOKUP_TIMEOUT_MS,
): Promise<IdCheckResult> {
  const result: IdCheckResult = { errors: {}, warnings: [] };
  await Promise.all(
    ids.map(async (id) => {
      const name = serviceName(id.service);
      let answer: IdLookup | 'timeout' | 'error';
      try {
        const adapter = providers.get(id.service);
        answer = await withTimeout(id.kind === 'artist' ? adapter.lookupArtist(id.uri) : adapter.lookupRelease(id.uri), timeoutMs);
      } catch {
        answer = 'error';
      }
      if (answer === 'found') return;
      if (answer === 'unknown') {
        result.errors[id.field] =
          id.kind === 'artist'
            ? `${name} does not know this artist (${id.uri}): check the link on ${name} and paste it again`
            : `${name} does not know this release (${id.uri}): check the link on ${name} (a release not out yet cannot be set by hand)`;
        return;
      }
      const reason: UncheckedReason = answer === 'unchecked' ? 'credentials' : answer === 'timeout' ? 'timeout' : 'unreachable';
      result.warnings.push({
        field: id.field,
        service: id.service,
        kind: id.kind,
        reason,
        text: uncheckedWarning(id.service, id.kind, reason, id.uri),
      });
    }),
  );
  return result;
}
