import { randomBytes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import type { Db } from '../db/index.js';
import type { WebhookEndpointTable } from '../db/schema-webhooks.js';
import type { WebhookEventType } from './events.js';
import { encryptSecret, newWebhookSecret, ROTATION_OVERLAP_MS } from './secrets.js';

/**
 * THE ONLY WRITER of `webhook_endpoints`: a workspace's receivers, their secrets (encrypted;
 * shown once, when made and when rotated), whether they are on, and the failure count that turns
 * them off (docs/webhooks.md "Disabling").
 */
export type EndpointRow = Selectable<WebhookEndpointTable>;

export function parseEvents(e: Pick<EndpointRow, 'events'>): WebhookEventType[] {
  return JSON.parse(e.events) as WebhookEventType[];
}

function publicId(): string {
  return `we_${randomBytes(12).toString('base64url')}`;
}

function num(r: EndpointRow): EndpointRow {
  return {
    ...r,
    id: Number(r.id),
    workspace_id: Number(r.workspace_id),
    enabled: Number(r.enabled),
    consecutive_failures: Number(r.consecutive_failures),
    previous_secret_until: r.previous_secret_until === null ? null : Number(r.previous_secret_until),
    failing_since: r.failing_since === null ? null : Number(r.failing_since),
    failure_counted_at: r.failure_counted_at === null ? null : Number(r.failure_counted_at),
    failure_notice_at: r.failure_notice_at === null ? null : Number(r.failure_notice_at),
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
}

/** A new endpoint, on; its secret is returned once and only stored encrypted. */
export async function createEndpoint(
  ctx: Pick<AppContext, 'db' | 'cipher'>,
  p: { workspaceId: number; url: string; description: string; events: WebhookEventType[] },
  now: number,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  const id = publicId();
  const secret = newWebhookSecret();
  const row = await ctx.db
    .insertInto('webhook_endpoints')
    .values({
      public_id: id,
      workspace_id: p.workspaceId,
      url: p.url,
      description: p.description,
      events: JSON.stringify(p.events),
      secret_enc: encryptSecret(ctx, id, secret),
      previous_secret_enc: null,
      previous_secret_until: null,
      enabled: 1,
      disabled_reason: null,
      consecutive_failures: 0,
      failing_since: null,
      failure_counted_at: null,
      failure_notice_at: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { endpoint: num(row), secret };
}

export async function listEndpoints(db: Db, workspaceId: number): Promise<EndpointRow[]> {
  const rows = await db.selectFrom('webhook_endpoints').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
  return rows.map(num);
}

export async function findEndpoint(db: Db, workspaceId: number, publicIdOf: string): Promise<EndpointRow | undefined> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('public_id', '=', publicIdOf)
    .executeTakeFirst();
  return row ? num(row) : undefined;
}

export async function getEndpointById(db: Db, id: number): Promise<EndpointRow | undefined> {
  const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? num(row) : undefined;
}

/** The failure streak's columns with no streak: after a success, or when turned on again. */
const NO_STREAK = { consecutive_failures: 0, failing_since: null, failure_counted_at: null, failure_notice_at: null };

/** URL, description, events; turning it on again starts its failure count afresh. */
export async function updateEndpoint(
  db: Db,
  id: number,
  p: { url?: string; description?: string; events?: WebhookEventType[]; enabled?: boolean },
  now: number,
): Promise<EndpointRow | undefined> {
  const set: Record<string, unknown> = { updated_at: now };
  if (p.url !== undefined) set.url = p.url;
  if (p.description !== undefined) set.description = p.description;
  if (p.events !== undefined) set.events = JSON.stringify(p.events);
  if (p.enabled === true) Object.assign(set, { enabled: 1, disabled_reason: null, ...NO_STREAK });
  if (p.enabled === false) Object.assign(set, { enabled: 0, disabled_reason: 'turned off by the workspace' });
  const row = await db.updateTable('webhook_endpoints').set(set).where('id', '=', id).returningAll().executeTakeFirst();
  return row ? num(row) : undefined;
}

/** A new secret; the one it replaces keeps signing (a second signature) for a day. */
export async function rotateSecret(ctx: Pick<AppContext, 'db' | 'cipher'>, e: EndpointRow, now: number): Promise<string> {
  const secret = newWebhookSecret();
  await ctx.db
    .updateTable('webhook_endpoints')
    .set({
      secret_enc: encryptSecret(ctx, e.public_id, secret),
      previous_secret_enc: e.secret_enc,
      previous_secret_until: now + ROTATION_OVERLAP_MS,
      updated_at: now,
    })
    .where('id', '=', e.id)
    .execute();
  return secret;
}

export async function deleteEndpoint(db: Db, id: number): Promise<void> {
  await db.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
}

/** A delivery reached the receiver: the failure count starts again. */
export async function endpointSucceeded(db: Db, id: number, now: number): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ ...NO_STREAK, updated_at: now })
    .where('id', '=', id)
    .where('failing_since', 'is not', null)
    .execute();
}

/**
 * One more failed attempt. It counts only when the last counted one is at least `windowMs` ago:
 * fifty queued events failing during a five-minute outage are one failure, not fifty, while a
 * receiver that stays down keeps counting, window after window (docs/webhooks.md "Disabling").
 * The streak (count and start) after it, or null when this attempt did not count or the endpoint
 * is gone or already off.
 */
export async function endpointFailed(
  db: Db,
  id: number,
  now: number,
  windowMs: number,
): Promise<{ failures: number; since: number } | null> {
  const row = await db
    .updateTable('webhook_endpoints')
    .set({
      consecutive_failures: sql`consecutive_failures + 1`,
      failing_since: sql`COALESCE(failing_since, ${now})`,
      failure_counted_at: now,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('enabled', '=', 1)
    .where((eb) => eb.or([eb('failure_counted_at', 'is', null), eb('failure_counted_at', '<=', now - windowMs)]))
    .returning(['consecutive_failures', 'failing_since'])
    .executeTakeFirst();
  return row ? { failures: Number(row.consecutive_failures), since: Number(row.failing_since) } : null;
}

/** Turns an endpoint off for a reason in words; true only for the call that turned it off. */
export async function disableEndpoint(db: Db, id: number, reason: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('webhook_endpoints')
    .set({ enabled: 0, disabled_reason: reason, updated_at: now })
    .where('id', '=', id)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Marks the failure notice sent; true only for the call that marked it (one mail per streak). */
export async function markFailureNotice(db: Db, id: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('webhook_endpoints')
    .set({ failure_notice_at: now })
    .where('id', '=', id)
    .where('failure_notice_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A workspace's endpoints that are turned off or failing (for `dropday status`): never a secret. */
export async function troubledEndpoints(
  db: Db,
  workspaceId: number,
): Promise<{ id: string; endpoint: string; enabled: boolean; disabled_reason: string | null; failures_in_a_row: number }[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['public_id', 'url', 'description', 'enabled', 'disabled_reason', 'consecutive_failures'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('enabled', '=', 0), eb('consecutive_failures', '>', 0)]))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.public_id,
    endpoint: endpointLabel(r).label,
    enabled: Number(r.enabled) === 1,
    disabled_reason: r.disabled_reason,
    failures_in_a_row: Number(r.consecutive_failures),
  }));
}

/**
 * How an endpoint is named outside its own settings page (mail, `dropday status`): its description
 * and host — never the whole URL, which for chat webhooks (Discord, Slack) is itself a secret.
 */
export function endpointLabel(e: { url: string; description: string | null }): { host: string; label: string } {
  let host = 'its address';
  try {
    host = new URL(e.url).host;
  } catch {
    // A stored URL always parses; the words above stand in if one does not.
  }
  return { host, label: e.description ? `“${e.description}” (${host})` : host };
}
