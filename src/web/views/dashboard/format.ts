import { deliveryStateText } from '../../../analytics/delivery-words.js';
import type { DeliveryReport, Funnel } from '../../../analytics/index.js';

/** Number and ratio formats shared by the pages and stats.json (the live refresh shows the same text). */
export function num(n: number): string {
  return n.toLocaleString('en');
}

/** 0.4567 → "45.7 %"; null (nothing to divide by) → "—". */
export function pct(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  const p = r * 100;
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)} %`;
}

export function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

/** 95 000 ms → "2 min"; 2 h 5 min → "2 h 5 min". */
export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `${Math.round(h / 24)} days`;
}

/** "2026-03-10 09:00 UTC" */
export function utcTime(t: number): string {
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The live numbers, keyed by the `data-stat` attribute of the element that shows each one. The
 * page renders them and stats.json sends them, so a refresh replaces text with identical formatting.
 */
export function statValues(f: Funnel, r: DeliveryReport, now: number): Record<string, string> {
  const v: Record<string, string> = {
    'funnel.views': num(f.views),
    'funnel.visits': num(f.visits),
    'funnel.uniqueVisitors': num(f.uniqueVisitors),
    'funnel.serviceClicks': num(f.serviceClicks),
    'funnel.listenClicks': num(f.listenClicks),
    'funnel.presaves': num(f.presaves),
    'funnel.cancellations': num(f.cancellations),
    'funnel.saved': num(f.saved),
    'funnel.visitors': num(f.visitors),
    'funnel.fans': num(f.fans),
    'funnel.clickToSave': pct(f.clickToSave),
    'funnel.savedRate': pct(ratio(f.saved, f.presaves)),
    'funnel.visitorToPresave': pct(f.visitorToPresave),
    'delivery.total': num(r.total),
    'delivery.saved': num(r.saved),
    'delivery.failed': num(r.failed),
    'delivery.due': num(r.due),
    'delivery.scheduled': num(r.scheduled),
    'delivery.verifying': num(r.verifying),
    'delivery.cancelled': num(r.cancelled),
    'delivery.pending': num(r.pending),
    'delivery.of': num(r.progress.of),
    'delivery.progress': pct(r.progress.fraction),
    'delivery.rate': `${r.live.ratePerMinute.toLocaleString('en')} / min`,
    'delivery.eta': r.due > 0 ? (r.live.etaMs === null ? 'unknown (stalled)' : duration(r.live.etaMs)) : '—',
    'delivery.state': deliveryStateText(r),
    updated: `${new Date(now).toISOString().slice(11, 19)} UTC`,
  };
  for (const [service, s] of Object.entries(r.byService)) {
    v[`delivery.${service}.saved`] = num(s.saved);
    v[`delivery.${service}.failed`] = num(s.failed);
    v[`delivery.${service}.due`] = num(s.due);
    v[`delivery.${service}.scheduled`] = num(s.scheduled);
    v[`delivery.${service}.verifying`] = num(s.verifying);
    v[`delivery.${service}.cancelled`] = num(s.cancelled);
    v[`delivery.${service}.rate`] = `${s.live.ratePerMinute.toLocaleString('en')} / min`;
    v[`delivery.${service}.eta`] = s.due > 0 ? (s.live.etaMs === null ? 'stalled' : duration(s.live.etaMs)) : '—';
  }
  return v;
}
