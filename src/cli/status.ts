import { Command } from 'commander';
import { getCampaignBySlug } from '../campaigns/repo.js';
import type { AppContext } from '../context.js';
import { listCampaignPauses, type CampaignPause } from '../campaigns/pauses.js';
import { followOutcomes, type FollowCounts } from '../presaves/follows.js';
import { campaignStatusCounts, type StatusCounts } from '../presaves/repo.js';
import { serviceName } from '../providers/services.js';
import { print, printJson, withContext } from './context.js';

function bar(done: number, total: number, width = 30): string {
  const frac = total ? done / total : 1;
  const filled = Math.round(frac * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(1).padStart(5)}%`;
}

function eta(pending: number, rate: number | undefined): string {
  return rate && rate > 0 ? `  ${rate.toFixed(1)}/s, ETA ${Math.ceil(pending / rate)} s` : '';
}

function render(slug: string, s: StatusCounts, released: boolean, rate: number | null, perService: Record<string, number> = {}): string[] {
  const finished = s.saved + s.failed + s.cancelled;
  const lines = [
    `${slug}: ${s.total} pre-saves — saved: ${s.saved}, failed: ${s.failed}, pending: ${s.pending} (due now: ${s.due}), cancelled: ${s.cancelled}`,
    `${bar(finished, s.total)}${rate !== null && rate > 0 ? `  ${rate.toFixed(1)}/s, ETA ${Math.ceil(s.pending / rate)} s` : ''}${released ? '' : '  (not yet released)'}`,
  ];
  for (const [svc, c] of Object.entries(s.byService)) {
    lines.push(
      `  ${serviceName(svc).padEnd(12)} saved ${c.saved}, failed ${c.failed}, pending ${c.pending}, cancelled ${c.cancelled}${eta(c.pending, perService[svc])}`,
    );
  }
  for (const [reason, n] of Object.entries(s.failureReasons)) lines.push(`  failed × ${n}: ${reason}`);
  return lines;
}

/** Follows held back or failed, and pauses: what the artist has to fix (see campaigns/pauses.ts). */
function renderTrouble(f: FollowCounts, pauses: CampaignPause[]): string[] {
  const lines: string[] = [];
  for (const p of pauses)
    lines.push(`  PAUSED on ${serviceName(p.service)}: ${p.message}`, `    ${serviceName(p.service)} said: ${p.detail ?? '—'}`);
  if (f.done + f.queued + f.waiting + f.failed)
    lines.push(`  follows: done ${f.done}, to retry ${f.queued}, waiting for a fix ${f.waiting}, failed ${f.failed}`);
  for (const r of f.reasons)
    lines.push(`  follow ${r.status === 'failed' ? 'failed' : 'waiting'} × ${r.count} (${serviceName(r.service)}): ${r.reason}`);
  return lines;
}

async function snapshot(ctx: AppContext, slug: string) {
  const c = await getCampaignBySlug(ctx.db, slug);
  const now = ctx.now();
  return {
    campaign: c,
    counts: await campaignStatusCounts(ctx.db, c.id, now),
    follows: await followOutcomes(ctx.db, c.id),
    pauses: await listCampaignPauses(ctx.db, c.id),
    released: now >= c.first_release_at,
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
        let snap = await snapshot(ctx, slug);
        if (!o.watch) {
          if (o.json) return printJson({ slug, released: snap.released, ...snap.counts, follows: snap.follows, pauses: snap.pauses });
          return [...render(slug, snap.counts, snap.released, null), ...renderTrouble(snap.follows, snap.pauses)].forEach((l) => print(l));
        }
        const interval = Math.max(100, Number(o.interval) || 1000);
        const tty = process.stdout.isTTY;
        let prevLines = 0;
        const finishedBy = (c: StatusCounts) => Object.fromEntries(Object.entries(c.byService).map(([k, v]) => [k, v.saved + v.failed]));
        let last = { at: Date.now(), finished: snap.counts.saved + snap.counts.failed, byService: finishedBy(snap.counts) };
        let rate: number | null = null;
        let perService: Record<string, number> = {};
        for (;;) {
          const lines = o.json
            ? [JSON.stringify({ slug, released: snap.released, ...snap.counts })]
            : render(slug, snap.counts, snap.released, rate, perService);
          if (tty && prevLines && !o.json) process.stdout.write(`\x1b[${prevLines}A\x1b[0J`);
          lines.forEach((l) => print(l));
          prevLines = lines.length;
          const allLive = ctx.now() >= snap.campaign.last_release_at;
          if (allLive && snap.counts.pending === 0) break;
          await new Promise((r) => setTimeout(r, interval));
          snap = await snapshot(ctx, slug);
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
