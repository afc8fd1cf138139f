import { createHmac, randomBytes } from 'node:crypto';
import type { ContestMethod } from '../../db/schema-growth.js';

/**
 * The contest draw: a pure function of the entries, the seed, the method and the number of
 * winners, so anyone holding the published seed and entries list can re-run it and get the same
 * winners (docs/contests.md "Re-running the draw" has the same algorithm as a short script).
 *
 * 1. Entries are the ones with points > 0, sorted by code (plain string order of the ASCII code);
 *    their 1-based index in that order is their public number on the rules page.
 * 2. Every random number comes from HMAC-SHA256 keyed with the seed's 32 bytes over ASCII text:
 *    `order:<index>` for an entry's tie-break key, `draw:<counter>` (counter 0, 1, 2, …) for the
 *    weighted draw's stream.
 * 3. Top N: points descending, equal points by tie-break key ascending (hex string order).
 * 4. Weighted draw, N times without replacement: take the next stream block's first 6 bytes as a
 *    big-endian integer r < 2^48; if r ≥ 2^48 − (2^48 mod total) skip the block (no modulo bias);
 *    else u = r mod total, and the winner is the first remaining entry (in code order) whose running
 *    sum of points exceeds u. It leaves the pool and total shrinks by its points.
 */
export interface DrawEntry {
  code: string;
  points: number;
}

export interface DrawWinner extends DrawEntry {
  /** 1-based. */
  position: number;
  /** The entry's number in the published list (its 1-based place in code order). */
  entry: number;
}

const SEED_RE = /^[0-9a-f]{64}$/;
const SPAN = 2 ** 48;

export function isSeed(s: unknown): s is string {
  return typeof s === 'string' && SEED_RE.test(s);
}

/** 32 random bytes, hex: made when the contest is created and shown from then on. */
export function newSeed(): string {
  return randomBytes(32).toString('hex');
}

/** The entries the draw runs on: points > 0, in code order (their public numbering). */
export function drawEntries(entries: readonly DrawEntry[]): DrawEntry[] {
  return entries
    .filter((e) => Number.isSafeInteger(e.points) && e.points > 0)
    .map((e) => ({ code: e.code, points: e.points }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function hmac(seed: string, text: string): Buffer {
  return createHmac('sha256', Buffer.from(seed, 'hex')).update(text, 'ascii').digest();
}

export function runDraw(o: { entries: readonly DrawEntry[]; seed: string; method: ContestMethod; winners: number }): DrawWinner[] {
  if (!isSeed(o.seed)) throw new Error('the seed must be 64 hex digits');
  const pool = drawEntries(o.entries).map((e, i) => ({ ...e, entry: i + 1 }));
  const n = Math.min(Math.max(0, Math.floor(o.winners)), pool.length);
  const picked = o.method === 'top' ? topN(pool, o.seed, n) : weighted(pool, o.seed, n);
  return picked.map((e, i) => ({ position: i + 1, code: e.code, points: e.points, entry: e.entry }));
}

type Numbered = DrawEntry & { entry: number };

function topN(pool: Numbered[], seed: string, n: number): Numbered[] {
  const keyed = pool.map((e) => ({ e, key: hmac(seed, `order:${e.entry}`).toString('hex') }));
  keyed.sort((a, b) => b.e.points - a.e.points || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.slice(0, n).map((k) => k.e);
}

function weighted(pool: Numbered[], seed: string, n: number): Numbered[] {
  const left = [...pool];
  let total = left.reduce((s, e) => s + e.points, 0);
  const out: Numbered[] = [];
  let counter = 0;
  while (out.length < n) {
    const r = hmac(seed, `draw:${counter++}`).readUIntBE(0, 6);
    if (r >= SPAN - (SPAN % total)) continue;
    const u = r % total;
    let sum = 0;
    const at = left.findIndex((e) => (sum += e.points) > u);
    const [won] = left.splice(at, 1);
    out.push(won!);
    total -= won!.points;
  }
  return out;
}
