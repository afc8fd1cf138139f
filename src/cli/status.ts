import { Command } from 'commander';
import { deliveryReport, type DeliveryReport } from '../analytics/delivery.js';
import { deliveryStateText, explainFailure, VERIFYING } from '../analytics/delivery-words.js';
import { getCampaignBySlug, type Campaign } from '../campaigns/repo.js';
import { describeRelease } from '../campaigns/timing.js';
import type { AppContext } from '../context.js';
import type { FollowCounts } from '../presaves/follows.js';
import { statusCountsOf, type StatusCounts } from '../presaves/repo.js';
import { serviceName } from '../providers/services.js';
import { MESSAGE_CHANNELS, messageCounts, type MessageReport } from '../reach/report.js';
import { CHANNEL_LABELS, explainMessageFailure } from '../reach/report-words.js';
import { conversionReport, type PlatformReport } from '../conversions/report.js';
import { PLATFORM_NAMES } from '../conversions/platforms.js';
import type { ConversionPlatform } from '../db/schema-conversions.js';
import { workspaceIdOfCampaign } from '../accounts/campaigns.js';
import { troubledEndpoints } from '../webhooks/endpoints.js';
import { print, printJson, withContext } from './context.js';

function bar(done: number, total: number, width = 30): string {
  const frac = total ? done / total : 1;
  const filled = Math.round(frac * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(1).padStart(5)}%`;
}

function eta(pending: number, rate: number | undefined): string {
  return rate && rate > 0 ? `  ${rate.toFixed(1)}/s, ETA ${Math.ceil(pending / rate)} s` : '';
}

export function renderStatus(snap: Snapshot, rate: number | null, perService: Record<string, number> = {}): string[] {
  const { slug, counts: s, report: r, campaign: c } = snap;
  const lines = [
    `${slug}: ${s.total} pre-saves — saved: ${s.saved}, failed: ${s.failed}, pending: ${s.pending} (due: ${s.due}, scheduled: ${s.scheduled}), cancelled: ${s.cancelled}`,
    `release: ${describeRelease(c)}`,
    deliveryStateText(r),
    `saved ${bar(r.progress.saved, r.progress.of)} of ${r.progress.of} due${r.verifying ? ` (+${r.verifying} ${VERIFYING})` : ''}${rate !== null && rate > 0 ? `  ${rate.toFixed(1)}/s, ETA ${Math.ceil(s.due / rate)} s` : ''}`,
  ];
  for (const p of r.pauses) {
    lines.push(`  PAUSED on ${serviceName(p.service)}: ${p.message}`);
    if (p.detail) lines.push(`    ${serviceName(p.service)} said: ${p.detail}`);
  }
  for (const [svc, x] of Object.entries(s.byService)) {
    lines.push(
      `  ${serviceName(svc).padEnd(12)} saved ${x.saved}, failed ${x.failed}, pending ${x.pending}, cancelled ${x.cancelled}${eta(x.pending, perService[svc])}`,
    );
  }
  for (const [reason, n] of Object.entries(s.failureReasons)) {
    const e = explainFailure(reason);
    lines.push(`  failed × ${n}: ${e.what} ${e.next}`, `    details: ${reason}`);
  }
  return [
    ...lines,
    ...renderFollows(r.follows),
    ...renderMessages(snap.messages),
    ...renderConversions(snap.conversions),
    ...renderWebhooks(snap.webhooks),
  ];
}

/** The workspace's webhook endpoints that are off or failing (they are the workspace's, not only this campaign's). */
function renderWebhooks(w: Snapshot['webhooks']): string[] {
  return w.map((e) =>
    e.enabled
      ? `  webhook ${e.endpoint}: failing, ${e.failures_in_a_row} in a row (retried; turned off at WEBHOOK_FAILURES_BEFORE_DISABLE)`
      : `  webhook ${e.endpoint}: turned off — ${e.disabled_reason ?? 'by hand'}; turn it on again in the workspace's settings or the API`,
  );
}

/** Conversion events (Meta, TikTok, GA4): per platform, and what stops or slows them, in words. */
function renderConversions(c: Snapshot['conversions']): string[] {
  const lines: string[] = [];
  for (const [p, r] of Object.entries(c) as [ConversionPlatform, PlatformReport][]) {
    const n = r.counts;
    lines.push(
      `  conversions ${PLATFORM_NAMES[p]}: sent ${n.sent}, pending ${n.pending}${r.retrying ? ` (${r.retrying} retrying)` : ''}, failed ${n.failed}, cancelled ${n.cancelled}`,
    );
    if (r.refused)
      lines.push(
        `    ${PLATFORM_NAMES[p]} refused the token on ${new Date(r.refused.at).toISOString()}: nothing is sent until it is replaced in the editor (${r.refused.words})`,
      );
    if (r.lastError) lines.push(`    last error: ${r.lastError}`);
  }
  return lines;
}

/** The campaign's fan messages (reach): the queue per channel, and why some were not delivered. */
function renderMessages(m: MessageReport): string[] {
  const lines: string[] = [];
  for (const ch of MESSAGE_CHANNELS) {
    const t = m.channelTotals[ch];
    if (t.scheduled + t.sending + t.sent + t.notDelivered + t.cancelled === 0) continue;
    lines.push(
      `  messages ${CHANNEL_LABELS[ch].toLowerCase().padEnd(8)} scheduled ${t.scheduled}, sending ${t.sending}, sent ${t.sent}, not delivered ${t.notDelivered}, cancelled ${t.cancelled}`,
    );
    for (const [code, n] of Object.entries(t.reasons).sort((a, b) => b[1] - a[1]))
      lines.push(`    not delivered × ${n}: ${explainMessageFailure(code).what}`);
  }
  return lines;
}

/** Follows are their own outcome (a saved album whose follow failed is still saved): what became of them. */
function renderFollows(f: FollowCounts): string[] {
  const lines: string[] = [];
  if (f.done + f.queued + f.waiting + f.failed)
    lines.push(`  follows: done ${f.done}, to retry ${f.queued}, waiting for a fix ${f.waiting}, failed ${f.failed}`);
  for (const r of f.reasons)
    lines.push(`  follow ${r.status === 'failed' ? 'failed' : 'waiting'} × ${r.count} (${serviceName(r.service)}): ${r.reason}`);
  return lines;
}

interface Snapshot {
  slug: string;
  campaign: Campaign;
  report: DeliveryReport;
  counts: StatusCounts;
  released: boolean;
  /** Fan messages of the campaign (reach): per channel and type. */
  messages: MessageReport;
  /** Conversion events per platform (conversions/report.ts). */
  conversions: Awaited<ReturnType<typeof conversionReport>>;
  /** The campaign's workspace's webhook endpoints that are off or failing. */
  webhooks: Awaited<ReturnType<typeof troubledEndpoints>>;
}

/**
 * What `dropday status` shows, from the same delivery report as the dashboard (one query, one
 * definition of due, scheduled and failed), at `ctx.now()`.
 */
export async function statusSnapshot(ctx: AppContext, slug: string): Promise<Snapshot> {
  const campaign = await getCampaignBySlug(ctx.db, slug);
  const now = ctx.now();
  const [report, messages, conversions] = await Promise.all([
    deliveryReport(ctx.db, campaign.id, now),
    messageCounts(ctx.db, campaign.id, now),
    conversionReport(ctx.db, campaign.id),
  ]);
  const workspaceId = await workspaceIdOfCampaign(ctx.db, campaign.id);
  const webhooks = workspaceId === null ? [] : await troubledEndpoints(ctx.db, workspaceId);
  return {
    slug,
    campaign,
    report,
    counts: statusCountsOf(report),
    released: now >= campaign.first_release_at,
    messages,
    conversions,
    webhooks,
  };
}

/** `dropday status --json`: the counts, the state and its pauses. */
export function statusJson(snap: Snapshot) {
  const r = snap.report;
  return {
    slug: snap.slug,
    released: snap.released,
    release: describeRelease(snap.campaign),
    state: r.state,
    outcome: r.outcome,
    summary: deliveryStateText(r),
    ...snap.counts,
    progress: r.progress,
    pauses: r.pauses,
    follows: r.follows,
    messages: snap.messages.channelTotals,
    conversions: snap.conversions,
    webhooks: snap.webhooks,
  };
}

export function statusCommand(): Command {
  return new Command('status')
    .description('pre-save and fulfillment counts for a campaign')
    .argument('<slug>')
    .option('--json', 'print the counts as JSON (for scripts)')
    .option('--watch', 'show a live progress bar until every due pre-save is done')
    .option('--interval <ms>', 'refresh interval for --watch', '1000')
    .action((slug: string, o: { json?: boolean; watch?: boolean; interval: string }) =>
      withContext(async (ctx) => {
        let snap = await statusSnapshot(ctx, slug);
        if (!o.watch) {
          if (o.json) return printJson(statusJson(snap));
          return renderStatus(snap, null).forEach((l) => print(l));
        }
        const interval = Math.max(100, Number(o.interval) || 1000);
        const tty = process.stdout.isTTY;
        let prevLines = 0;
        const finishedBy = (c: StatusCounts) => Object.fromEntries(Object.entries(c.byService).map(([k, v]) => [k, v.saved + v.failed]));
        let last = { at: Date.now(), finished: snap.counts.saved + snap.counts.failed, byService: finishedBy(snap.counts) };
        let rate: number | null = null;
        let perService: Record<string, number> = {};
        for (;;) {
          const lines = o.json ? [JSON.stringify(statusJson(snap))] : renderStatus(snap, rate, perService);
          if (tty && prevLines && !o.json) process.stdout.write(`\x1b[${prevLines}A\x1b[0J`);
          lines.forEach((l) => print(l));
          prevLines = lines.length;
          const allLive = ctx.now() >= snap.campaign.last_release_at;
          if (allLive && snap.counts.pending === 0) break;
          await new Promise((r) => setTimeout(r, interval));
          snap = await statusSnapshot(ctx, slug);
          const finished = snap.counts.saved + snap.counts.failed;
          const t = Date.now();
          const secs = (t - last.at) / 1000;
          rate = (finished - last.finished) / secs;
          const by = finishedBy(snap.counts);
          perService = Object.fromEntries(Object.entries(by).map(([k, v]) => [k, (v - (last.byService[k] ?? 0)) / secs]));
          last = { at: t, finished, byService: by };
        }
      }),
    );
}
