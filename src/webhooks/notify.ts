import type { AppContext } from '../context.js';
import type { Mailer } from '../mail/index.js';
import { endpointLabel, markFailureNotice, type EndpointRow } from './endpoints.js';

/**
 * Telling a workspace's owners and admins that an endpoint keeps failing (once per streak, at
 * WEBHOOK_FAILURES_BEFORE_NOTICE) and that it was turned off, with why and how to turn it on again. The mail names the endpoint by its
 * description and host — never the whole URL, which for chat webhooks is itself a secret.
 */
export async function notifyOwners(
  ctx: AppContext,
  mailer: Mailer | undefined,
  e: EndpointRow,
  what: { kind: 'failing'; since: number; last: string } | { kind: 'disabled'; reason: string },
): Promise<void> {
  if (what.kind === 'failing' && !(await markFailureNotice(ctx.db, e.id, ctx.now()))) return;
  const ws = await ctx.db.selectFrom('workspaces').select(['slug', 'name']).where('id', '=', e.workspace_id).executeTakeFirst();
  if (!ws || !mailer) return;
  const owners = await ctx.db
    .selectFrom('workspace_members')
    .innerJoin('users', 'users.id', 'workspace_members.user_id')
    .select('users.email')
    .where('workspace_members.workspace_id', '=', e.workspace_id)
    .where('workspace_members.role', 'in', ['admin', 'owner'])
    .execute();
  const { host, label } = endpointLabel(e);
  const link = `${ctx.config.publicUrl.replace(/\/$/, '')}/w/${encodeURIComponent(ws.slug)}/webhooks`;
  const subject = what.kind === 'failing' ? `Webhook deliveries to ${host} are failing` : `A webhook endpoint of ${ws.name} was turned off`;
  const text = [
    what.kind === 'failing'
      ? `Webhook deliveries to ${label} have been failing since ${new Date(what.since).toISOString()}, with none getting through. The last attempt: ${what.last}. They are retried for about three days; if the failures go on, the endpoint is turned off.`
      : `The webhook endpoint ${label} was turned off: ${what.reason}. Nothing more is sent to it until you turn it on again ("Turn on" on the Webhooks page, or PATCH /api/v1/webhooks/${e.public_id} with {"enabled": true}); the deliveries it missed are sent then.`,
    '',
    'See the delivery log (status codes and errors), send deliveries again and turn the endpoint on here:',
    link,
  ].join('\n');
  try {
    for (const o of owners) await mailer.send({ to: o.email, subject, text, link });
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message, endpoint: e.public_id }, 'could not mail the webhook notice to the owners');
  }
}
