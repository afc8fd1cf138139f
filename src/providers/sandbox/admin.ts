import type { Db } from '../../db/index.js';
import { FAULT_KINDS, FAULT_TARGETS, SERVER_ERROR_STATUSES, type FaultKind, type FaultTarget } from './server/faults.js';

/**
 * Operator controls for the Sandbox, without HTTP: used by `dropday sandbox …` and by tests.
 */
export interface FaultSpec {
  kind: FaultKind | string;
  target: FaultTarget | string;
  /** How many requests it hits; absent or null = until cleared. */
  count?: number | null;
  /** rate_limit and quota only (default 1). Ignored for other kinds. */
  retryAfterSeconds?: number;
  /** server_error only: 500, 502 or 503 (default 500). Ignored for other kinds. */
  statusCode?: number;
  /** slow only (default 1000). Ignored for other kinds. */
  delayMs?: number;
}

export interface FaultInfo {
  id: number;
  kind: FaultKind;
  target: FaultTarget;
  /** Requests it will still hit; null = until cleared. */
  remaining: number | null;
  statusCode: number | null;
  retryAfterSeconds: number | null;
  delayMs: number | null;
  createdAt: number;
}

function wholeNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${String(value)})`);
  }
  return value;
}

export async function addFault(db: Db, spec: FaultSpec, now: number): Promise<FaultInfo> {
  const kind = spec.kind as FaultKind;
  const target = spec.target as FaultTarget;
  if (!FAULT_KINDS.includes(kind)) throw new Error(`Unknown fault kind "${spec.kind}" (use one of: ${FAULT_KINDS.join(', ')})`);
  if (!FAULT_TARGETS.includes(target)) throw new Error(`Unknown fault target "${spec.target}" (use one of: ${FAULT_TARGETS.join(', ')})`);
  const remaining = spec.count === undefined || spec.count === null ? null : wholeNumber('count', spec.count, 1, 1_000_000);
  let retryAfter: number | null = null;
  let statusCode: number | null = null;
  let delayMs: number | null = null;
  if (kind === 'rate_limit' || kind === 'quota') {
    retryAfter = wholeNumber('retryAfterSeconds', spec.retryAfterSeconds ?? 1, 0, 86_400);
  } else if (kind === 'server_error') {
    statusCode = spec.statusCode ?? 500;
    if (!(SERVER_ERROR_STATUSES as readonly number[]).includes(statusCode)) {
      throw new Error(`statusCode must be one of ${SERVER_ERROR_STATUSES.join(', ')} (got ${String(spec.statusCode)})`);
    }
  } else if (kind === 'slow') {
    delayMs = wholeNumber('delayMs', spec.delayMs ?? 1000, 1, 120_000);
  }
  // Spent faults are kept until the next add so `list` right after a test run still explains it.
  await db.deleteFrom('sandbox_faults').where('remaining', '=', 0).execute();
  const row = await db
    .insertInto('sandbox_faults')
    .values({ kind, target, remaining, status_code: statusCode, retry_after_s: retryAfter, delay_ms: delayMs, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), kind, target, remaining, statusCode, retryAfterSeconds: retryAfter, delayMs, createdAt: now };
}

/** Faults that still apply (remaining null or above 0), oldest first — the order they are tried in. */
export async function listFaults(db: Db): Promise<FaultInfo[]> {
  const rows = await db
    .selectFrom('sandbox_faults')
    .selectAll()
    .where((eb) => eb.or([eb('remaining', 'is', null), eb('remaining', '>', 0)]))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind as FaultKind,
    target: r.target as FaultTarget,
    remaining: r.remaining,
    statusCode: r.status_code,
    retryAfterSeconds: r.retry_after_s,
    delayMs: r.delay_ms,
    createdAt: Number(r.created_at),
  }));
}

/** Removes every fault; returns how many there were. */
export async function clearFaults(db: Db): Promise<number> {
  const res = await db.deleteFrom('sandbox_faults').executeTakeFirst();
  return Number(res.numDeletedRows);
}

/**
 * As if the user removed the app: every token they hold stops working (the API answers 401
 * "Invalid access token", refresh answers invalid_grant) and unexchanged codes die too.
 * Returns how many tokens were revoked.
 */
export async function revokeUser(db: Db, username: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('sandbox_tokens')
      .set({ revoked: 1 })
      .where('username', '=', username)
      .where('revoked', '=', 0)
      .executeTakeFirst();
    await trx.updateTable('sandbox_codes').set({ used: 1 }).where('username', '=', username).execute();
    return Number(res.numUpdatedRows);
  });
}

export interface LibraryItem {
  uri: string;
  savedAt: number;
  kind: 'album' | 'artist';
  /** The album title (albums only). */
  title?: string;
  /** The album's artist, or the followed artist's name. */
  artist?: string;
}

/** What the user saved or followed, oldest first, with names from the Sandbox catalog. */
export async function libraryOf(db: Db, username: string): Promise<LibraryItem[]> {
  const rows = await db
    .selectFrom('sandbox_library')
    .select(['uri', 'saved_at'])
    .where('username', '=', username)
    .orderBy('saved_at')
    .orderBy('uri')
    .execute();
  const idsOf = (kind: string) =>
    rows
      .map((r) => r.uri.split(':'))
      .filter((p) => p[1] === kind && p[2])
      .map((p) => p[2]!);
  const albumIds = idsOf('album');
  const artistIds = idsOf('artist');
  const albums = new Map(
    albumIds.length
      ? (
          await db
            .selectFrom('sandbox_releases as r')
            .innerJoin('sandbox_artists as a', 'a.id', 'r.artist_id')
            .select(['r.id', 'r.title', 'a.name'])
            .where('r.id', 'in', albumIds)
            .execute()
        ).map((r) => [r.id, r] as const)
      : [],
  );
  const artists = new Map(
    artistIds.length
      ? (await db.selectFrom('sandbox_artists').select(['id', 'name']).where('id', 'in', artistIds).execute()).map(
          (a) => [a.id, a.name] as const,
        )
      : [],
  );
  return rows.map((r) => {
    const [, kind, id = ''] = r.uri.split(':');
    if (kind === 'artist') {
      const name = artists.get(id);
      return { uri: r.uri, savedAt: Number(r.saved_at), kind: 'artist' as const, ...(name !== undefined ? { artist: name } : {}) };
    }
    const album = albums.get(id);
    return {
      uri: r.uri,
      savedAt: Number(r.saved_at),
      kind: 'album' as const,
      ...(album ? { title: album.title, artist: album.name } : {}),
    };
  });
}
