import { sql, type Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import type { Db } from '../db/index.js';
import type { GrantTable } from '../db/schema.js';
import type { Account, TokenSet } from '../providers/types.js';
import { cleanExternalText } from '../util/text.js';

/**
 * A fan's authorization on one service. Tokens are encrypted at rest; the associated data names
 * the grant and the column, so a ciphertext moved to another row or column will not decrypt.
 */
export type GrantRow = Selectable<GrantTable>;

function aad(service: string, accountId: string, column: 'access' | 'refresh'): string {
  return `grant:${service}:${accountId}:${column}`;
}

export async function upsertGrant(
  ctx: Pick<AppContext, 'db' | 'cipher'>,
  service: string,
  account: Account,
  tokens: TokenSet,
  now: number,
): Promise<number> {
  const values = {
    display_name: cleanExternalText(account.displayName),
    access_token_enc: ctx.cipher.encrypt(tokens.accessToken, aad(service, account.accountId, 'access')),
    refresh_token_enc: tokens.refreshToken ? ctx.cipher.encrypt(tokens.refreshToken, aad(service, account.accountId, 'refresh')) : null,
    access_expires_at: tokens.expiresAt,
    scopes: tokens.scopes.join(' '),
    authorized_at: now,
    status: 'active',
    dead_reason: null,
    refresh_lock_owner: null,
    refresh_lock_until: null,
    updated_at: now,
  };
  const row = await ctx.db
    .insertInto('grants')
    .values({ service, account_id: account.accountId, created_at: now, ...values })
    .onConflict((oc) => oc.columns(['service', 'account_id']).doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function getGrant(db: Db, id: number): Promise<GrantRow | undefined> {
  return db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
}

export function decryptGrant(ctx: Pick<AppContext, 'cipher'>, g: GrantRow): { accessToken: string; refreshToken: string | null } {
  return {
    accessToken: ctx.cipher.decrypt(g.access_token_enc, aad(g.service, g.account_id, 'access')),
    refreshToken: g.refresh_token_enc ? ctx.cipher.decrypt(g.refresh_token_enc, aad(g.service, g.account_id, 'refresh')) : null,
  };
}

/**
 * Takes the grant's refresh lock. Refresh tokens rotate and are single-use, so two processes
 * refreshing the same grant at once would make one of them lose the grant for good.
 */
export async function tryLockGrantForRefresh(db: Db, grantId: number, owner: string, now: number, leaseMs: number): Promise<boolean> {
  const res = await db
    .updateTable('grants')
    .set({ refresh_lock_owner: owner, refresh_lock_until: now + leaseMs })
    .where('id', '=', grantId)
    .where((eb) => eb.or([eb('refresh_lock_until', 'is', null), eb('refresh_lock_until', '<', now), eb('refresh_lock_owner', '=', owner)]))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Stores refreshed tokens and releases the lock, in one statement: the new refresh token is durable before the new access token is used. */
export async function storeRefreshedTokens(
  ctx: Pick<AppContext, 'db' | 'cipher'>,
  g: GrantRow,
  owner: string,
  tokens: TokenSet,
  now: number,
): Promise<boolean> {
  const res = await ctx.db
    .updateTable('grants')
    .set({
      access_token_enc: ctx.cipher.encrypt(tokens.accessToken, aad(g.service, g.account_id, 'access')),
      ...(tokens.refreshToken
        ? { refresh_token_enc: ctx.cipher.encrypt(tokens.refreshToken, aad(g.service, g.account_id, 'refresh')) }
        : {}),
      access_expires_at: tokens.expiresAt,
      refresh_lock_owner: null,
      refresh_lock_until: null,
      updated_at: now,
    })
    .where('id', '=', g.id)
    .where('refresh_lock_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function unlockGrant(db: Db, grantId: number, owner: string): Promise<void> {
  await db
    .updateTable('grants')
    .set({ refresh_lock_owner: null, refresh_lock_until: null })
    .where('id', '=', grantId)
    .where('refresh_lock_owner', '=', owner)
    .execute();
}

export async function markGrantDead(db: Db, grantId: number, reason: string, now: number): Promise<void> {
  await db
    .updateTable('grants')
    .set({ status: 'dead', dead_reason: reason, refresh_lock_owner: null, refresh_lock_until: null, updated_at: now })
    .where('id', '=', grantId)
    .execute();
}

/**
 * Forgets who a grant belonged to once it can do nothing more for the fan: its tokens were released
 * (no pending pre-save needed it) or are dead, and the worker uses only active grants. The account
 * id becomes a placeholder unique to the row (the unique index on service and account still holds;
 * a fan who authorizes again gets a new grant) and the display name goes. The pre-saves that used
 * it keep their own record of what was done.
 */
export async function forgetIdleGrants(db: Db, grantIds: number[], now: number): Promise<number> {
  if (!grantIds.length) return 0;
  const res = await db
    .updateTable('grants')
    .set({ account_id: sql<string>`'forgotten:' || cast(id as text)`, display_name: null, updated_at: now })
    .where('id', 'in', grantIds)
    .where('status', '!=', 'active')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Deletes the tokens of grants no pending pre-save needs any more: Dropday keeps a fan's access
 * only as long as it has something to do with it (a pending pre-save, a follow queued or waiting
 * for the artist's fix) or a standing forever save. A fan who pre-saves again re-authorizes. A follow waiting longer than
 * FAILED_GRANT_RETENTION_DAYS loses its grant in the sweep; a later resume records it as failed.
 * With `idleSince`, every grant whose pre-saves all finished before that time (the sweep that
 * catches grants kept for re-driving failures); otherwise just the grants named.
 */
export async function releaseIdleGrants(db: Db, which: number[] | { idleSince: number }, now: number): Promise<number> {
  let q = db
    .updateTable('grants')
    .set({ access_token_enc: '', refresh_token_enc: null, access_expires_at: null, status: 'released', updated_at: now })
    .where('status', '=', 'active');
  if (Array.isArray(which)) q = q.where('id', 'in', which);
  const res = await q
    // A standing forever save (reach/forever) needs the grant for the artist's next release.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('forever_saves')
            .select('forever_saves.id')
            .whereRef('forever_saves.grant_id', '=', 'grants.id')
            .where('forever_saves.stopped_at', 'is', null),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('presaves')
            .select('presaves.id')
            .whereRef('presaves.grant_id', '=', 'grants.id')
            .where((p) =>
              Array.isArray(which)
                ? p.or([p('presaves.status', '=', 'pending'), p('presaves.follow_status', 'in', ['queued', 'waiting'])])
                : p.or([
                    p('presaves.status', '=', 'pending'),
                    p('presaves.follow_status', '=', 'queued'),
                    p('presaves.updated_at', '>=', which.idleSince),
                  ]),
            ),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}
