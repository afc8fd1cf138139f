import type { Db } from '../db/index.js';
import { GOVERNOR_TUNING as T } from './governor-tuning.js';

/**
 * The rate governor: one budget per key, shared by every worker process through the key's
 * `service_governors` row, so N workers together stay within what the far side allows. A key is
 * an opaque string naming one budget: pre-saves use the bare service name (`spotify`: the rows,
 * RATE_LIMITS names and `/metrics` labels as they have always been); another kind of work item
 * names its channel `kind:channel` (`mail:smtp`, `push:fcm.googleapis.com`) — a service name never
 * holds a `:`, so the two cannot collide. Every kind in a worker shares one governor (delivery/loop.ts).
 *
 * - Rate: a per-second budget (configured, or learnt). Each process takes tokens from the
 *   current one-second slot with one UPDATE per refill, sized to the requests waiting right then,
 *   and only one refill per key is in flight at a time: concurrent requests share it, so the
 *   database is asked a few times a second and a process never holds tokens it does not use.
 * - Adaptive: repeated 429s cut the rate (or, when no rate was known, set it from what this
 *   process was sending); quiet seconds raise it again, up to the configured maximum. The
 *   numbers are in governor-tuning.ts.
 * - Retry-After pauses the key for every worker until the time the far side named.
 * - QUOTA_EXCEEDED opens a breaker: nothing is sent on the key until an operator runs
 *   `dropday fulfillment resume`.
 * Pause and breaker state is re-read at most every `stateTtlMs`, and a 429 seen by this process
 * applies to it at once.
 *
 * Priority classes: a priority is a rank, 0 the most urgent. When a slot's tokens are fewer than
 * the requests waiting for them, lower ranks are served first (pre-saves: album saves, then
 * verifications, then follows — fulfillment/presave/service-session.ts). Under a tight budget that
 * fills fans' libraries at the full rate the limit allows; `contended()` tells a kind when the
 * budget is short, so it can leave less urgent calls to a later claim instead of waiting inline.
 */
export type Priority = number;

export type Permit = { ok: true } | { ok: false; reason: 'paused' | 'breaker' | 'rate'; until: number; detail?: string };

interface Waiter {
  resolve: (until: number) => void;
  reject: (err: unknown) => void;
  /** Until when it may wait in line for a later slot (0: not at all). */
  deadline: number;
}

interface Bucket {
  slot: number;
  left: number;
  /** The slot's shared budget is spent: no more refills until the next slot. */
  dry: boolean;
  rate: number;
  /** Requests waiting for this slot's tokens, one queue per priority rank (index 0 first). */
  waiters: Waiter[][];
  refill: Promise<void> | null;
  /** When a request was last refused or kept waiting for lack of tokens (see GOVERNOR_TUNING.contendedForMs). */
  shortAt: number;
  /** Wakes the line at the next slot. */
  timer: NodeJS.Timeout | null;
}

interface State {
  key: string;
  rate: number;
  maxRate: number;
  pausedUntil: number;
  breakerOpen: boolean;
  breakerReason: string | null;
  last429At: number;
  updatedAt: number;
  readAt: number;
}

export interface GovernorStats {
  granted: number;
  deniedRate: number;
  deniedPaused: number;
  deniedBreaker: number;
}

export class RateGovernor {
  private readonly states = new Map<string, State>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly reading = new Map<string, Promise<State>>();
  private readonly sent = new Map<string, RecentCounts>();
  private readonly limited = new Map<string, RecentCounts>();
  readonly stats = new Map<string, GovernorStats>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly configured: Record<string, number>,
    private readonly stateTtlMs: number = T.stateTtlMs,
  ) {}

  /**
   * A permit for one request. `maxWaitMs`: when this slot's tokens are gone, wait in line (by
   * priority) for later slots up to that long instead of being refused at once; the line keeps
   * its order across slots, so saves waiting from the last slot go before verifications that
   * arrive in the next one.
   */
  async acquire(key: string, priority: Priority = 0, opts: { maxWaitMs?: number } = {}): Promise<Permit> {
    const stats = this.statsOf(key);
    const refused = this.blockedPermit(await this.state(key));
    if (refused) return refused;
    const rate = this.states.get(key)!.rate;
    if (rate > 0) {
      const until = await this.token(key, rate, Math.max(0, Math.floor(priority)), this.now() + (opts.maxWaitMs ?? 0));
      if (until !== 0) {
        stats.deniedRate++;
        return { ok: false, reason: 'rate', until };
      }
      // A Retry-After may have come in while this request waited in line.
      const paused = this.blockedPermit(await this.state(key));
      if (paused) return paused;
    }
    stats.granted++;
    counter(this.sent, key).add(this.now());
    return { ok: true };
  }

  private blockedPermit(st: State): Permit | null {
    const stats = this.statsOf(st.key);
    if (st.breakerOpen) {
      stats.deniedBreaker++;
      return { ok: false, reason: 'breaker', until: Number.POSITIVE_INFINITY, detail: st.breakerReason ?? 'quota exhausted' };
    }
    if (st.pausedUntil > this.now()) {
      stats.deniedPaused++;
      return { ok: false, reason: 'paused', until: st.pausedUntil };
    }
    return null;
  }

  /**
   * A 429 with Retry-After: pause the key for everyone. Slow down too, but only when 429s
   * are a real share of what this process sends (over 10% in the last 10 s): one stray 429 among
   * hundreds of answers is no sign the rate is too high, and cutting it would starve the fan-out.
   */
  async onRetryAfter(key: string, until: number): Promise<void> {
    const now = this.now();
    const st = await this.state(key);
    const limited = counter(this.limited, key);
    limited.add(now);
    const { overload, cut } = T;
    const recent429s = limited.count(now, overload.windowS);
    const sent = counter(this.sent, key);
    // The 429s of one burst (requests that were in flight together) are one signal: cut once.
    const overloaded =
      recent429s >= overload.min429s &&
      recent429s > overload.share * Math.max(sent.count(now, overload.windowS), 1) &&
      now - st.last429At >= overload.oneCutPerBurstMs;
    const observed = sent.count(now, cut.observedWindowS) / cut.observedWindowS;
    const next = !overloaded ? st.rate : Math.max(1, (st.rate > 0 ? st.rate : observed) * cut.factor);
    st.pausedUntil = Math.max(st.pausedUntil, until);
    st.rate = next;
    if (overloaded) st.last429At = now;
    await this.db
      .updateTable('service_governors')
      .set((eb) => ({
        paused_until: eb.case().when('paused_until', '<', until).then(until).else(eb.ref('paused_until')).end(),
        ...(overloaded ? { rate_per_s: next, last_429_at: now, updated_at: now } : {}),
      }))
      .where('service', '=', key)
      .execute();
  }

  /** QUOTA_EXCEEDED: stop sending to this key until an operator resumes it. */
  async openBreaker(key: string, reason: string): Promise<void> {
    await this.state(key);
    const st = this.states.get(key)!;
    st.breakerOpen = true;
    st.breakerReason = reason;
    await this.db
      .updateTable('service_governors')
      .set({ breaker_open: 1, breaker_reason: reason, updated_at: this.now() })
      .where('service', '=', key)
      .execute();
  }

  /** Keys no worker should claim work for right now (paused or breaker open). */
  async blockedServices(keys: string[]): Promise<Set<string>> {
    return new Set((await this.blocked(keys)).keys());
  }

  /** Blocked keys with the time each opens again (infinity while a breaker waits for an operator). */
  async blocked(keys: string[]): Promise<Map<string, number>> {
    const now = this.now();
    const out = new Map<string, number>();
    for (const s of keys) {
      const st = await this.state(s);
      if (st.breakerOpen) out.set(s, Number.POSITIVE_INFINITY);
      else if (st.pausedUntil > now) out.set(s, st.pausedUntil);
    }
    return out;
  }

  /**
   * Whether this key's budget is the bottleneck right now: in the last GOVERNOR_TUNING.contendedForMs, this
   * process had more requests waiting than the slot's shared budget could grant (some were
   * refused, or kept in line for the next slot). False for a key without a rate limit, and
   * for requests merely waiting for a refill that the budget covers.
   */
  contended(key: string): boolean {
    const b = this.buckets.get(key);
    return !!b && b.rate > 0 && this.now() - b.shortAt < T.contendedForMs;
  }

  /** Each limited key's budget per second (keys without a limit are left out). */
  async limitedRates(keys: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const s of keys) {
      const st = await this.state(s);
      if (st.rate > 0) out.set(s, st.rate);
    }
    return out;
  }

  /**
   * One token from this process's bucket: 0, or when to ask again. A request that finds no token
   * left joins its class's line; one refill at a time serves the line, and when the slot's shared
   * budget is spent, those that may wait (`deadline`) stay in line for the next slot.
   */
  private token(key: string, rate: number, cls: number, deadline: number): Promise<number> | number {
    let b = this.buckets.get(key);
    if (!b) {
      b = { slot: 0, left: 0, dry: false, rate, waiters: [], refill: null, shortAt: 0, timer: null };
      this.buckets.set(key, b);
    }
    b.rate = rate;
    this.roll(b);
    // A token left over goes to whoever asks, unless a more urgent request is already in line.
    if (b.left > 0 && b.waiters.slice(0, cls).every((q) => q.length === 0)) {
      b.left--;
      return 0;
    }
    if (b.dry && deadline < this.nextSlotAt(b)) return this.refuse(b);
    while (b.waiters.length <= cls) b.waiters.push([]);
    return new Promise<number>((resolve, reject) => {
      b.waiters[cls]!.push({ resolve, reject, deadline });
      if (b.dry) this.wakeAtNextSlot(key, b);
      else b.refill ??= this.refill(key, b);
    });
  }

  /** A new slot: unused tokens die with the old one, and its budget is fresh. */
  private roll(b: Bucket): void {
    const slot = Math.floor(this.now() / 1000);
    if (b.slot !== slot) Object.assign(b, { slot, left: 0, dry: false });
  }

  private nextSlotAt(b: Bucket): number {
    return (b.slot + 1) * 1000;
  }

  private refuse(b: Bucket): number {
    b.shortAt = this.now();
    return this.nextSlotAt(b);
  }

  private wakeAtNextSlot(key: string, b: Bucket): void {
    b.timer ??= setTimeout(
      () => {
        b.timer = null;
        b.refill ??= this.refill(key, b);
      },
      Math.max(0, this.nextSlotAt(b) - this.now()),
    );
    b.timer.unref?.();
  }

  private async refill(key: string, b: Bucket): Promise<void> {
    let failed: unknown = null;
    try {
      // Let every request of this tick join the queue, so one UPDATE serves them all.
      await new Promise((r) => setImmediate(r));
      this.roll(b);
      const slot = b.slot;
      const want = Math.max(
        1,
        b.waiters.reduce((n, q) => n + q.length, 0),
      );
      const got = await this.take(key, slot, b.rate, want);
      if (b.slot === slot) {
        b.left += got;
        if (got < want) b.dry = true;
      }
    } catch (err) {
      failed = err ?? new Error('refill failed');
    } finally {
      b.refill = null;
      // The database did not answer: everyone waiting hears it, as their own query would have told them.
      if (failed) for (const q of b.waiters) for (const w of q.splice(0)) w.reject(failed);
      else this.serve(key, b);
    }
  }

  /**
   * Hands the tokens out, most urgent class first. When the slot's budget is spent, those that
   * may wait stay in line for the next slot and the rest are told when to ask again; otherwise
   * another refill serves those that joined meanwhile.
   */
  private serve(key: string, b: Bucket): void {
    this.roll(b);
    for (const q of b.waiters)
      while (q.length && b.left > 0) {
        b.left--;
        q.shift()!.resolve(0);
      }
    if (b.waiters.every((q) => q.length === 0)) return;
    if (!b.dry) {
      b.refill ??= this.refill(key, b);
      return;
    }
    const until = this.refuse(b);
    for (let i = 0; i < b.waiters.length; i++) {
      const stay = b.waiters[i]!.filter((w) => w.deadline >= until);
      for (const w of b.waiters[i]!) if (w.deadline < until) w.resolve(until);
      b.waiters[i] = stay;
    }
    if (b.waiters.some((q) => q.length)) this.wakeAtNextSlot(key, b);
  }

  /**
   * Takes up to `want` tokens of the slot's budget with one atomic UPDATE (every SET expression
   * sees the row as it was, so `slot_take` records exactly what this call got).
   */
  private async take(key: string, slot: number, rate: number, want: number): Promise<number> {
    const budget = slotBudget(slot, rate);
    if (budget === 0) return 0;
    const k = Math.min(want, budget);
    const row = await this.db
      .updateTable('service_governors')
      .set((eb) => {
        const used = eb.case().when('slot', '=', slot).then(eb.ref('slot_used')).else(0).end();
        const after = eb
          .case()
          .when(eb(used, '+', k), '<=', budget)
          .then(eb(used, '+', k))
          .else(budget)
          .end();
        return { slot_used: after, slot_take: eb(after, '-', used), slot };
      })
      .where('service', '=', key)
      .where((eb) => eb.or([eb('slot', '<>', slot), eb('slot_used', '<', budget)]))
      .returning('slot_take')
      .executeTakeFirst();
    return row ? Number(row.slot_take) : 0;
  }

  /** The governor row as of at most `stateTtlMs` ago; concurrent callers share one read. */
  private state(key: string): Promise<State> {
    const cached = this.states.get(key);
    if (cached && this.now() - cached.readAt < this.stateTtlMs) return Promise.resolve(cached);
    let p = this.reading.get(key);
    if (!p) {
      p = this.readState(key, cached).finally(() => this.reading.delete(key));
      this.reading.set(key, p);
    }
    return p;
  }

  private async readState(key: string, cached: State | undefined): Promise<State> {
    const now = this.now();
    let row = await this.db.selectFrom('service_governors').selectAll().where('service', '=', key).executeTakeFirst();
    const configured = this.configured[key] ?? 0;
    if (!row) {
      await this.db
        .insertInto('service_governors')
        .values({ service: key, rate_per_s: configured, max_rate_per_s: configured, updated_at: now })
        .onConflict((oc) => oc.column('service').doNothing())
        .execute();
      row = await this.db.selectFrom('service_governors').selectAll().where('service', '=', key).executeTakeFirstOrThrow();
    } else if (row.max_rate_per_s !== configured) {
      // The operator changed RATE_LIMITS: adopt it.
      await this.db
        .updateTable('service_governors')
        .set({ max_rate_per_s: configured, rate_per_s: configured, updated_at: now })
        .where('service', '=', key)
        .execute();
      row = { ...row, max_rate_per_s: configured, rate_per_s: configured, updated_at: now };
    }
    const st: State = {
      key,
      rate: Number(row.rate_per_s),
      maxRate: Number(row.max_rate_per_s),
      pausedUntil: Math.max(Number(row.paused_until), cached?.pausedUntil ?? 0),
      breakerOpen: row.breaker_open === 1,
      breakerReason: row.breaker_reason,
      last429At: Number(row.last_429_at),
      updatedAt: Number(row.updated_at),
      readAt: now,
    };
    this.states.set(key, st);
    await this.maybeIncrease(key, st, now);
    return st;
  }

  /** Additive increase after quiet periods; compare-and-set so many workers raise it once. */
  private async maybeIncrease(key: string, st: State, now: number): Promise<void> {
    const { quietMs, factor, stepPerS } = T.raise;
    if (st.rate <= 0 || st.last429At === 0 || now - st.last429At < quietMs || now - st.updatedAt < quietMs) return;
    const raised = st.rate * factor + stepPerS;
    const next = st.maxRate > 0 ? Math.min(st.maxRate, raised) : raised;
    if (next === st.rate) return;
    const res = await this.db
      .updateTable('service_governors')
      .set({ rate_per_s: next, updated_at: now })
      .where('service', '=', key)
      .where('updated_at', '=', st.updatedAt)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) {
      st.rate = next;
      st.updatedAt = now;
    }
  }

  private statsOf(key: string): GovernorStats {
    let s = this.stats.get(key);
    if (!s) this.stats.set(key, (s = { granted: 0, deniedRate: 0, deniedPaused: 0, deniedBreaker: 0 }));
    return s;
  }
}

/**
 * The tokens of one one-second slot at `rate` per second. A fractional rate (100/30s is 3.2/s)
 * is spread exactly over the slots, in integer thousandths so every process computes the same
 * budget for the same slot: any run of slots gets at most rate × slots (rounded up), so a window
 * of W+1 slots holds no more than the provider's R. Rounding each slot down instead would waste
 * up to one token a second (1200/30s: 38 of 38.7, 2 % of the limit); giving at least one would
 * send three times the limit at 10/30s.
 */
export function slotBudget(slot: number, rate: number): number {
  if (rate >= 1000) return Math.floor(rate); // a thousandth of a token a second is nothing here; and slot × milli stays exact below 2^53
  const milli = Math.floor(rate * 1000);
  return Math.floor(((slot + 1) * milli) / 1000) - Math.floor((slot * milli) / 1000);
}

/** Events per second over the last few seconds, in constant memory (a ring of one-second buckets). */
class RecentCounts {
  private readonly seconds = new Array<number>(T.historyS).fill(-1);
  private readonly counts = new Array<number>(T.historyS).fill(0);

  add(now: number): void {
    const sec = Math.floor(now / 1000);
    const i = sec % T.historyS;
    if (this.seconds[i] !== sec) {
      this.seconds[i] = sec;
      this.counts[i] = 0;
    }
    this.counts[i]!++;
  }

  /** Events in the last `windowS` seconds (up to historyS − 1), this second included. */
  count(now: number, windowS: number): number {
    const sec = Math.floor(now / 1000);
    let n = 0;
    for (let i = 0; i < T.historyS; i++) if (sec - this.seconds[i]! < windowS && this.seconds[i]! <= sec) n += this.counts[i]!;
    return n;
  }
}

function counter(map: Map<string, RecentCounts>, key: string): RecentCounts {
  let c = map.get(key);
  if (!c) map.set(key, (c = new RecentCounts()));
  return c;
}
