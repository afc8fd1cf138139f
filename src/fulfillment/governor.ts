import type { Db } from '../db/index.js';

/**
 * The rate governor: one per service, shared by every worker process through the
 * `service_governors` row, so N workers together stay within what the service allows.
 *
 * - Rate: a per-second budget (from RATE_LIMITS, or learnt). Workers take tokens from the current
 *   one-second slot in small chunks with one UPDATE, so the database is asked a few times a
 *   second, not once per request. Unused tokens die with their slot.
 * - Adaptive: a 429 cuts the rate by 30% (or, when no rate was known, sets it from what this
 *   process was sending); five quiet seconds raise it by 5%, up to the configured maximum.
 * - Retry-After pauses the service for every worker until the time the service named.
 * - QUOTA_EXCEEDED opens a breaker: nothing is sent to the service until an operator runs
 *   `dropday fulfillment resume`.
 * Pause and breaker state is re-read at most every `stateTtlMs`, and a 429 seen by this process
 * applies to it at once.
 */
export type Permit = { ok: true } | { ok: false; reason: 'paused' | 'breaker' | 'rate'; until: number; detail?: string };

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
  private readonly tokens = new Map<string, { slot: number; left: number }>();
  private readonly sent = new Map<string, number[]>();
  private readonly limited = new Map<string, number[]>();
  readonly stats = new Map<string, GovernorStats>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly configured: Record<string, number>,
    private readonly stateTtlMs = 250,
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
      const slot = Math.floor(now / 1000);
      const local = this.tokens.get(service);
      if (!local || local.slot !== slot || local.left <= 0) {
        const granted = await this.take(service, slot, st.rate);
        if (granted === 0) {
          stats.deniedRate++;
          return { ok: false, reason: 'rate', until: (slot + 1) * 1000 };
        }
        this.tokens.set(service, { slot, left: granted });
      }
      this.tokens.get(service)!.left--;
    }
    stats.granted++;
    this.noteSent(service, now);
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
    const times = (this.limited.get(service) ?? []).filter((t) => now - t < 10_000);
    times.push(now);
    this.limited.set(service, times);
    const sent = (this.sent.get(service) ?? []).filter((t) => now - t < 10_000).length;
    const overloaded = times.length >= 3 && times.length > 0.1 * Math.max(sent, 1);
    const observed = this.observedRate(service, now);
    const next = !overloaded ? st.rate : st.rate > 0 ? Math.max(1, st.rate * 0.7) : Math.max(1, observed * 0.7);
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
    const now = this.now();
    const out = new Set<string>();
    for (const s of services) {
      const st = await this.state(s);
      if (st.breakerOpen || st.pausedUntil > now) out.add(s);
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

  private async take(service: string, slot: number, rate: number): Promise<number> {
    const budget = Math.max(1, Math.floor(rate));
    const chunk = Math.max(1, Math.min(50, Math.ceil(budget / 10)));
    for (const k of chunk > 1 ? [chunk, 1] : [1]) {
      const res = await this.db
        .updateTable('service_governors')
        .set((eb) => ({
          slot_used: eb
            .case()
            .when('slot', '=', slot)
            .then(eb('slot_used', '+', k))
            .else(k)
            .end(),
          slot,
        }))
        .where('service', '=', service)
        .where((eb) => eb.or([eb('slot', '<>', slot), eb('slot_used', '<=', budget - k)]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) return k;
    }
    return 0;
  }

  private async state(service: string): Promise<State> {
    const now = this.now();
    const cached = this.states.get(service);
    if (cached && now - cached.readAt < this.stateTtlMs) return cached;
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
    if (st.rate <= 0 || st.last429At === 0 || now - st.last429At < 5000 || now - st.updatedAt < 5000) return;
    const next = st.maxRate > 0 ? Math.min(st.maxRate, st.rate * 1.05 + 0.5) : st.rate * 1.05 + 0.5;
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

  private noteSent(service: string, now: number): void {
    let times = this.sent.get(service);
    if (!times) this.sent.set(service, (times = []));
    times.push(now);
    if (times.length > 5000) times.splice(0, times.length - 5000);
  }

  private observedRate(service: string, now: number): number {
    const times = this.sent.get(service) ?? [];
    return times.filter((t) => now - t < 5000).length / 5;
  }

  private statsOf(service: string): GovernorStats {
    let s = this.stats.get(service);
    if (!s) this.stats.set(service, (s = { granted: 0, deniedRate: 0, deniedPaused: 0, deniedBreaker: 0 }));
    return s;
  }
}
