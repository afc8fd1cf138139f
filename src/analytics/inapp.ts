import type { Db } from '../db/index.js';
import { ALL_TIME } from './dashboard.js';
import { rollupSource } from './queries.js';
import { HOUR, alignRange } from './time.js';
import type { Range } from './types.js';

/**
 * The dashboard's "In-app browsers" panel, from the rollups like every other panel: page views
 * inside apps' built-in browsers (by app), and the "Open in your browser" step — shown, taken (the
 * fan opened the hop in a real browser), completed (a pre-save made there with the step's escape
 * id). Counts of recorded events, after the bot filter; nothing is estimated.
 */
export interface InAppReport {
  /** In-app page views per app (`instagram`, `tiktok`, …), most first. */
  views: { app: string; n: number }[];
  viewsTotal: number;
  shown: number;
  taken: number;
  completed: number;
  /** The escape step per streaming service. */
  byService: { service: string; shown: number; taken: number; completed: number }[];
}

const STEP = { escape_shown: 'shown', escape_taken: 'taken', escape_completed: 'completed' } as const;

export async function inAppReport(db: Db, campaignId: number, asked: Range = ALL_TIME): Promise<InAppReport> {
  const rows = await rollupSource.totals(db, [campaignId], alignRange(asked, HOUR), 0);
  const views = new Map<string, number>();
  const services = new Map<string, InAppReport['byService'][number]>();
  const report: InAppReport = { views: [], viewsTotal: 0, shown: 0, taken: 0, completed: 0, byService: [] };
  for (const r of rows) {
    if (r.event === 'inapp_view') {
      views.set(r.service, (views.get(r.service) ?? 0) + r.n);
      report.viewsTotal += r.n;
      continue;
    }
    const step = STEP[r.event as keyof typeof STEP];
    if (!step) continue;
    report[step] += r.n;
    let s = services.get(r.service);
    if (!s) services.set(r.service, (s = { service: r.service, shown: 0, taken: 0, completed: 0 }));
    s[step] += r.n;
  }
  report.views = [...views].map(([app, n]) => ({ app, n })).sort((a, b) => b.n - a.n || (a.app < b.app ? -1 : 1));
  report.byService = [...services.values()].sort((a, b) => b.shown - a.shown || (a.service < b.service ? -1 : 1));
  return report;
}
