/**
 * A small seeded generator for the fuzz suite (fast-check is not a dependency): mulberry32, so a
 * run is reproducible from its seed. FUZZ_SEED picks the seed (default: fixed, so CI is stable);
 * FUZZ_RUNS scales the number of requests; every failure message carries the seed.
 */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Up to `n` items, in random order, possibly repeated. */
  some<T>(items: readonly T[], n: number): T[] {
    return Array.from({ length: this.int(n + 1) }, () => this.pick(items));
  }
}

export function fuzzSeed(): number {
  const s = process.env.FUZZ_SEED;
  return s && /^\d+$/.test(s) ? Number(s) : 20261205;
}

/** Requests per database: FUZZ_RUNS, or the CI default. */
export function fuzzRuns(ciDefault: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : ciDefault;
}
