import type { Db } from '../db/index.js';
import { GOVERNOR_TUNING as T } from './governor-tuning.js';

/**
 * The rate governor: one per service, shared by every worker process through the
 * `service_governors` row, so N workers together stay within what the service allows.
 *
 * - Rate: a per-second budget (from RATE_LIMITS, or learnt). Each process takes tokens from the
 *   current one-second slot with one UPDATE per refill, sized to the requests waiting right then,
 *   and only one refill per service is in flight at a time: concurrent requests share it, so the
 *   database is asked a few times a second and a process never holds tokens it does not use.
 * - Adaptive: repeated 429s cut the rate (or, when no rate was known, set it from what this
 *   process was sending); quiet seconds raise it again, up to the configured maximum. The
 *   numbers are in governor-tuning.ts.
 * - Retry-After pauses the service for every worker until the time the service named.
 * - QUOTA_EXCEEDED opens a breaker: nothing is sent to the service until an operator runs
 *   `dropday fulfillment resume`.
 * Pause and breaker state is re-read at most every `stateTtlMs`, and a 429 seen by this process
 * applies to it at once.
 */
export type Permit = { ok: true } | { ok: false; reason: 'paused' | 'breaker' | 'rate'; until: number; detail?: string };

interface Bucket {
  slot: number;
  left: number;
  /** The slot's shared budget is spent: no more refills until the next slot. */
  dry: boolean;
  waiting: number;
  refill: Promise<void> | null;
}

interface State {
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

  async acquire(service: string): Promise<Permit> {
    const st = await this.state(service);
    const now = this.now();
    const stats = this.statsOf(service);
    if (st.breakerOpen) {
      stats.deniedBreaker++;
      return { ok: false, reason: 'breaker', until: Number.POSITIVE_INFINITY, detail: st.breakerReason ?? 'quota exhausted' };
    }
    if (st.pausedUntil > now) {
      stats.deniedPaused++;
      return { ok: false, reason: 'paused', until: st.pausedUntil };
    }
    if (st.rate > 0) {
      const until = await this.token(service, st.rate);
      if (until !== 0) {
        stats.deniedRate++;
        return { ok: false, reason: 'rate', until };
      }
    }
    stats.granted++;
    counter(this.sent, service).add(now);
    return { ok: true };
  }

  /**
   * A 429 with Retry-After: pause the service for everyone. Slow down too, but only when 429s
   * are a real share of what this process sends (over 10% in the last 10 s): one stray 429 among
   * hundreds of answers is no sign the rate is too high, and cutting it would starve the fan-out.
   */
  async onRetryAfter(service: string, until: number): Promise<void> {
    const now = this.now();
    const st = await this.state(service);
    const limited = counter(this.limited, service);
    limited.add(now);
    const { overload, cut } = T;
    const recent429s = limited.count(now, overload.windowS);
    const sent = counter(this.sent, service);
    const overloaded = recent429s >= overload.min429s && recent429s > overload.share * Math.max(sent.count(now, overload.windowS), 1);
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
      .where('service', '=', service)
      .execute();
  }

  /** QUOTA_EXCEEDED: stop sending to this service until an operator resumes it. */
  async openBreaker(service: string, reason: string): Promise<void> {
    await this.state(service);
    const st = this.states.get(service)!;
    st.breakerOpen = true;
    st.breakerReason = reason;
    await this.db
      .updateTable('service_governors')
      .set({ breaker_open: 1, breaker_reason: reason, updated_at: this.now() })
      .where('service', '=', service)
      .execute();
  }

  /** Services no worker should claim pre-saves for right now (paused or breaker open). */
  async blockedServices(services: string[]): Promise<Set<string>> {
    return new Set((await this.blocked(services)).keys());
  }

  /** Blocked services with the time each opens again (infinity while a breaker waits for an operator). */
  async blocked(services: string[]): Promise<Map<string, number>> {
    const now = this.now();
    const out = new Map<string, number>();
    for (const s of services) {
      const st = await this.state(s);
      if (st.breakerOpen) out.set(s, Number.POSITIVE_INFINITY);
      else if (st.pausedUntil > now) out.set(s, st.pausedUntil);
    }
    return out;
  }

  /** The smallest budget per second among limited services, to size claims; null if none is limited. */
  async tightestRate(services: string[]): Promise<number | null> {
    let min: number | null = null;
    for (const s of services) {
      const st = await this.state(s);
      if (st.rate > 0) min = min === null ? st.rate : Math.min(min, st.rate);
    }
    return min;
  }

  /** One token from this process's bucket for the current slot: 0, or when to ask again. */
  private async token(service: string, rate: number): Promise<number> {
    let b = this.buckets.get(service);
    if (!b) this.buckets.set(service, (b = { slot: 0, left: 0, dry: false, waiting: 0, refill: null }));
    for (;;) {
      const slot = Math.floor(this.now() / 1000);
      if (b.slot !== slot) Object.assign(b, { slot, left: 0, dry: false }); // unused tokens die with their slot
      if (b.left > 0) {
        b.left--;
        return 0;
      }
      if (b.dry) return (slot + 1) * 1000;
      b.waiting++;
      try {
        b.refill ??= this.refill(service, b, slot, rate);
        await b.refill;
      } finally {
        b.waiting--;
      }
    }
  }

  private async refill(service: string, b: Bucket, slot: number, rate: number): Promise<void> {
    try {
      // Let every request of this tick join the queue, so one UPDATE serves them all.
      await new Promise((r) => setImmediate(r));
      const want = Math.max(1, b.waiting);
      const got = await this.take(service, slot, rate, want);
      if (b.slot !== slot) return;
      b.left += got;
      if (got < want) b.dry = true;
    } finally {
      b.refill = null;
    }
  }

  /**
   * Takes up to `want` tokens of the slot's budget with one atomic UPDATE (every SET expression
   * sees the row as it was, so `slot_take` records exactly what this call got).
   */
  private async take(service: string, slot: number, rate: number, want: number): Promise<number> {
    const budget = Math.max(1, Math.floor(rate));
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
      .where('service', '=', service)
      .where((eb) => eb.or([eb('slot', '<>', slot), eb('slot_used', '<', budget)]))
      .returning('slot_take')
      .executeTakeFirst();
    return row ? Number(row.slot_take) : 0;
  }

  /** The governor row as of at most `stateTtlMs` ago; concurrent callers share one read. */
  private state(service: string): Promise<State> {
    const cached = this.states.get(service);
    if (cached && this.now() - cached.readAt < this.stateTtlMs) return Promise.resolve(cached);
    let p = this.reading.get(service);
    if (!p) {
      p = this.readState(service, cached).finally(() => this.reading.delete(service));
      this.reading.set(service, p);
    }
    return p;
  }

  private async readState(service: string, cached: State | undefined): Promise<State> {
    const now = this.now();
    let row = await this.db.selectFrom('service_governors').selectAll().where('service', '=', service).executeTakeFirst();
    const configured = this.configured[service] ?? 0;
    if (!row) {
      await this.db
        .insertInto('service_governors')
        .values({ service, rate_per_s: configured, max_rate_per_s: configured, updated_at: now })
        .onConflict((oc) => oc.column('service').doNothing())
        .execute();
      row = await this.db.selectFrom('service_governors').selectAll().where('service', '=', service).executeTakeFirstOrThrow();
    } else if (row.max_rate_per_s !== configured) {
      // The operator changed RATE_LIMITS: adopt it.
      await this.db
        .updateTable('service_governors')
        .set({ max_rate_per_s: configured, rate_per_s: configured, updated_at: now })
        .where('service', '=', service)
        .execute();
      row = { ...row, max_rate_per_s: configured, rate_per_s: configured, updated_at: now };
    }
    const st: State = {
      rate: Number(row.rate_per_s),
      maxRate: Number(row.max_rate_per_s),
      pausedUntil: Math.max(Number(row.paused_until), cached?.pausedUntil ?? 0),
      breakerOpen: row.breaker_open === 1,
      breakerReason: row.breaker_reason,
      last429At: Number(row.last_429_at),
      updatedAt: Number(row.updated_at),
      readAt: now,
    };
    this.states.set(service, st);
    await this.maybeIncrease(service, st, now);
    return st;
  }

  /** Additive increase after quiet periods; compare-and-set so many workers raise it once. */
  private async maybeIncrease(service: string, st: State, now: number): Promise<void> {
    const { quietMs, factor, stepPerS } = T.raise;
    if (st.rate <= 0 || st.last429At === 0 || now - st.last429At < quietMs || now - st.updatedAt < quietMs) return;
    const raised = st.rate * factor + stepPerS;
    const next = st.maxRate > 0 ? Math.min(st.maxRate, raised) : raised;
    if (next === st.rate) return;
    const res = await this.db
      .updateTable('service_governors')
      .set({ rate_per_s: next, updated_at: now })
      .where('service', '=', service)
      .where('updated_at', '=', st.updatedAt)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) {
      st.rate = next;
      st.updatedAt = now;
    }
  }

  private statsOf(service: string): GovernorStats {
    let s = this.stats.get(service);
    if (!s) this.stats.set(service, (s = { granted: 0, deniedRate: 0, deniedPaused: 0, deniedBreaker: 0 }));
    return s;
  }
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

function counter(map: Map<string, RecentCounts>, service: string): RecentCounts {
  let c = map.get(service);
  if (!c) map.set(service, (c = new RecentCounts()));
  return c;
}
