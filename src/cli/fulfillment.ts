import { Command } from 'commander';
import { getCampaignBySlug } from '../campaigns/repo.js';
import { resendFailedConversions } from '../conversions/resend.js';
import { governorStates, redriveFailed, resumeServices } from '../fulfillment/admin.js';
import { notifyWorkers } from '../fulfillment/wakeup.js';
import { serviceName } from '../providers/services.js';
import { redriveFailedMessages } from '../reach/messages/lifecycle/redrive.js';
import { print, printJson, withContext } from './context.js';

export function fulfillmentCommand(): Command {
  const cmd = new Command('fulfillment').description('operate the fan-out: re-drive failures, resume a paused service, see rate governors');
  cmd
    .command('retry')
    .description('put failed pre-saves (and failed follows of saved ones) of a campaign back in the queue (idempotent)')
    .argument('<slug>')
    .option('--reason <text>', 'only those whose failure reason contains this text')
    .option('--include-dead-grants', 'also those whose fan authorization is dead (the service will likely refuse again)')
    .action((slug: string, o: { reason?: string; includeDeadGrants?: boolean }) =>
      withContext(async (ctx) => {
        const c = await getCampaignBySlug(ctx.db, slug);
        const n = await redriveFailed(
          ctx.db,
          c.id,
          { ...(o.reason ? { reason: o.reason } : {}), includeDeadGrants: !!o.includeDeadGrants },
          ctx.now(),
        );
        await notifyWorkers(ctx);
        print(
          n
            ? `Re-queued ${n} failed pre-save(s) or follow(s) of ${slug}.`
            : `No failed pre-saves of ${slug} to re-queue${o.reason ? ` matching "${o.reason}"` : ''}.`,
        );
      }),
    );
  cmd
    .command('retry-messages')
    .description(
      'put failed messages to fans (mail, web push) of a campaign back in the queue; bounced addresses and gone subscriptions stay failed',
    )
    .argument('<slug>')
    .action((slug: string) =>
      withContext(async (ctx) => {
        const c = await getCampaignBySlug(ctx.db, slug);
        const n = await redriveFailedMessages(ctx.db, { campaignId: c.id, now: ctx.now() });
        await notifyWorkers(ctx);
        print(n ? `Re-queued ${n} failed message(s) of ${slug}.` : `No failed messages of ${slug} to re-queue.`);
      }),
    );
  cmd
    .command('retry-conversions')
    .description(
      'send failed conversion events (Meta, TikTok, GA4) of a campaign again, once their cause is fixed; only platforms with a token that was not refused, and only events still inside the platform’s window (Meta, TikTok: 47 hours, as they de-duplicate by event id for 48; GA4: 71 hours, and GA4 does not de-duplicate)',
    )
    .argument('<slug>')
    .action((slug: string) =>
      withContext(async (ctx) => {
        const c = await getCampaignBySlug(ctx.db, slug);
        const { requeued: n, platforms } = await resendFailedConversions(ctx.db, c.id, ctx.now());
        await notifyWorkers(ctx);
        print(
          n
            ? `Re-queued ${n} failed conversion event(s) of ${slug}.`
            : `No failed conversion events of ${slug} to send again${platforms.length ? '' : ' (no platform has a token that was not refused)'}.`,
        );
      }),
    );
  cmd
    .command('resume')
    .description('close a quota breaker / lift a pause, and make the parked pre-saves due now')
    .option('--service <service>', 'only this service')
    .action((o: { service?: string }) =>
      withContext(async (ctx) => {
        const r = await resumeServices(ctx.db, ctx.now(), o.service);
        await notifyWorkers(ctx);
        print(
          r.services.length
            ? `Resumed ${r.services.map(serviceName).join(', ')}; ${r.redriven} pre-save(s) due now.`
            : 'Nothing was paused.',
        );
      }),
    );
  cmd
    .command('status')
    .description('the shared rate governor of each service')
    .option('--json', 'as JSON')
    .action((o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const rows = await governorStates(ctx.db);
        if (o.json) return printJson(rows);
        if (!rows.length) return print('No service has been called yet.');
        const now = ctx.now();
        for (const r of rows) {
          const state = r.breaker_open
            ? `BREAKER OPEN (${r.breaker_reason ?? 'quota'}) — run \`dropday fulfillment resume\``
            : r.paused_until > now
              ? `paused until ${new Date(r.paused_until).toISOString()}`
              : 'running';
          print(
            `${serviceName(r.service).padEnd(12)} ${state}; rate ${r.rate_per_s > 0 ? `${r.rate_per_s.toFixed(1)}/s` : 'unlimited'}${r.max_rate_per_s > 0 ? ` (max ${r.max_rate_per_s.toFixed(1)}/s)` : ''}`,
          );
        }
      }),
    );
  return cmd;
}
