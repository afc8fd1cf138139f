import { describe, expect, it } from 'vitest';
import { IngestPacer, type PacerClock } from '../src/analytics/pacer.js';

/** A clock that only moves when the pacer sleeps, and an event loop as busy as the test says. */
function fakeClock(utilization: () => number): PacerClock & { t: number; sleeps: number[] } {
  const c = {
    t: 0,
    sleeps: [] as number[],
    now: () => c.t,
    loopMark: () => null,
    utilizationSince: () => utilization(),
    sleep: async (ms: number) => {
      c.sleeps.push(ms);
      c.t += ms;
    },
    yieldOnce: async () => {},
  };
  return c;
}

describe('IngestPacer: analytics writes take a bounded share of a busy event loop', () => {
  it('while the loop is busy, a slice that held it 10 ms is followed by 90 ms for the rest (share 0.1)', async () => {
    const clock = fakeClock(() => 0.95);
    const pacer = new IngestPacer(0.1, 0.5, clock);
    await pacer.pause(10);
    expect(clock.t).toBeCloseTo(90, 6);
    expect(pacer.busyMs).toBe(10);
    expect(pacer.busyMs / (pacer.busyMs + pacer.yieldedMs)).toBeCloseTo(0.1, 6);
    // It looks at the loop every couple of milliseconds instead of sleeping it all at once.
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(2);
  });

  it('an idle loop (no requests coming) is not rationed: the pause ends after watching it 10 ms', async () => {
    const clock = fakeClock(() => 0.02);
    const pacer = new IngestPacer(0.1, 0.5, clock);
    await pacer.pause(10);
    expect(clock.t).toBe(10);
  });

  it('a loop serving a trickle of requests (utilization 0.15) is traffic: the full pause', async () => {
    const clock = fakeClock(() => 0.15);
    await new IngestPacer(0.1, 0.5, clock).pause(10);
    expect(clock.t).toBeCloseTo(90, 6);
  });

  it('stops waiting once the requests are gone', async () => {
    let looks = 0;
    const clock = fakeClock(() => (++looks <= 20 ? 0.9 : 0.05));
    await new IngestPacer(0.1, 0.5, clock).pause(10);
    // Five looks of 2 ms before the loop is judged at all, 20 busy judgements, then an idle one.
    expect(clock.sleeps).toHaveLength(25);
    expect(clock.t).toBe(50);
  });

  it('a backlog near the buffer limit raises the share to the urgent one', async () => {
    const clock = fakeClock(() => 0.95);
    await new IngestPacer(0.1, 0.5, clock).pause(10, true);
    expect(clock.t).toBeCloseTo(10, 6);
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => new IngestPacer(0)).toThrow(RangeError);
    expect(() => new IngestPacer(1.5)).toThrow(RangeError);
    expect(() => new IngestPacer(0.5, 0.2)).toThrow(RangeError);
  });
});
