import { Readable } from 'node:stream';
import type { Db } from '../db/index.js';
import type { DeliveryReport } from './delivery.js';

/**
 * CSV per RFC 4180 (comma, CRLF, fields quoted when they hold a comma, quote, CR or LF), safe to
 * open in a spreadsheet: a text cell starting with = + - @ TAB or CR is prefixed with a single
 * quote so it is shown as text, never run as a formula (OWASP "CSV injection").
 */
export type CsvValue = string | number | null | undefined;

// Also after leading spaces, and the full-width forms some spreadsheets accept.
const FORMULA_START = /^[\t\r]|^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    s = String(v);
    // A number is data, not a formula; only text is neutralized.
    return s;
  }
  s = v;
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: readonly CsvValue[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** UTF-8 byte-order mark: makes Excel read the file as UTF-8 (city names, reasons). */
export const CSV_BOM = '\uFEFF';

function iso(t: number | null | undefined): string {
  return t === null || t === undefined ? '' : new Date(Number(t)).toISOString();
}

export const FANS_CSV_COLUMNS = ['created_at', 'service', 'country', 'timezone', 'status', 'failure_reason', 'saved_at'] as const;

/**
 * The campaign's fans, one line per pre-save, read in pages by id so a campaign of any size is
 * streamed with constant memory. No tokens, account ids, IP addresses or visitor ids: only what a
 * campaign owner needs. `country` is the fan's market (from their locale).
 */
export async function* fansCsv(db: Db, campaignId: number, opts: { pageSize?: number; bom?: boolean } = {}): AsyncGenerator<string> {
  const pageSize = opts.pageSize ?? 2000;
  if (opts.bom !== false) yield CSV_BOM;
  yield csvRow(FANS_CSV_COLUMNS);
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('presaves')
      .select(['id', 'created_at', 'service', 'market', 'timezone', 'status', 'failure_reason', 'saved_at'])
      .where('campaign_id', '=', campaignId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    let chunk = '';
    for (const r of rows) {
      chunk += csvRow([iso(r.created_at), r.service, r.market ?? '', r.timezone, r.status, r.failure_reason ?? '', iso(r.saved_at)]);
    }
    yield chunk;
    after = Number(rows[rows.length - 1]!.id);
    if (rows.length < pageSize) return;
  }
}

export const DELIVERY_CSV_COLUMNS = ['service', 'status', 'reason', 'count'] as const;

/** The delivery report as lines of (service, status, reason, count), then the totals as service "all". */
export function* deliveryReportCsv(report: DeliveryReport, opts: { bom?: boolean } = {}): Generator<string> {
  if (opts.bom !== false) yield CSV_BOM;
  yield csvRow(DELIVERY_CSV_COLUMNS);
  const lines = (service: string, s: Omit<DeliveryReport['byService'][string], 'live' | 'total'>) => {
    let out = csvRow([service, 'saved', '', s.saved]);
    for (const [reason, n] of Object.entries(s.failureReasons).sort()) out += csvRow([service, 'failed', reason, n]);
    if (Object.keys(s.failureReasons).length === 0) out += csvRow([service, 'failed', '', s.failed]);
    out += csvRow([service, 'due', '', s.due]);
    out += csvRow([service, 'scheduled', '', s.scheduled]);
    for (const [reason, n] of Object.entries(s.cancelReasons).sort()) out += csvRow([service, 'cancelled', reason, n]);
    if (Object.keys(s.cancelReasons).length === 0) out += csvRow([service, 'cancelled', '', s.cancelled]);
    return out;
  };
  for (const [service, s] of Object.entries(report.byService)) yield lines(service, s);
  yield lines('all', report);
}

/** A Node stream of a CSV generator, for `reply.send(...)` with `content-type: text/csv; charset=utf-8`. */
export function csvStream(lines: AsyncIterable<string> | Iterable<string>): Readable {
  return Readable.from(lines, { objectMode: false });
}

/** `attachment; filename="…"` with only safe characters in the name. */
export function csvContentDisposition(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 100) || 'export';
  return `attachment; filename="${safe}.csv"`;
}
