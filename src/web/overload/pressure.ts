import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { OverloadConfig } from './config.js';
import type { PressureSignal } from './guard.js';

/**
 * The process's pressure, sampled by @fastify/under-pressure every OVERLOAD_SAMPLE_MS: the mean
 * event-loop delay and the event-loop utilisation of the last sample (interval mode: a busy
 * minute ago does not count now), V8 heap in use and RSS. The plugin is registered without
 * thresholds, so it adds no hook of its own: the guard (guard.ts) decides before Fastify runs,
 * where a refusal is cheapest, and knows which requests are never refused.
 */
export interface PressureFigures {
  eventLoopDelay: number;
  eventLoopUtilized: number;
  heapUsed: number;
  rssBytes: number;
}

/** The first limit the figures exceed, in words for the log, or null. A limit of 0 is off. */
export function pressureReason(f: PressureFigures, c: OverloadConfig): string | null {
  if (c.maxEventLoopDelayMs > 0 && f.eventLoopDelay > c.maxEventLoopDelayMs) return 'event loop delay';
  if (c.maxEventLoopUtilizationPercent > 0 && f.eventLoopUtilized * 100 > c.maxEventLoopUtilizationPercent) return 'event loop utilisation';
  if (c.maxHeapUsedBytes > 0 && f.heapUsed > c.maxHeapUsedBytes) return 'heap';
  if (c.maxRssBytes > 0 && f.rssBytes > c.maxRssBytes) return 'resident memory';
  return null;
}

/**
 * Pressure must last before it refuses anyone: this many samples in a row over a limit. One
 * sample over is often not this process's doing — a garbage collection, a start-up, or a
 * neighbour on an oversubscribed host taking the CPU for a moment (timers then read as late) —
 * and refusing a fan on it turns a blip into an error page. Two samples (2 × OVERLOAD_SAMPLE_MS)
 * is real saturation, as the guard's turn budget also asks for two turns in a row.
 */
export const PRESSURE_SAMPLES_IN_A_ROW = 2;

/** The reason to refuse, once the same pressure has lasted PRESSURE_SAMPLES_IN_A_ROW samples. */
export class PressureStreak {
  private streak = 0;
  private reason: string | null = null;

  observe(sample: string | null): void {
    this.streak = sample ? this.streak + 1 : 0;
    this.reason = this.streak >= PRESSURE_SAMPLES_IN_A_ROW ? sample : null;
  }

  current(): string | null {
    return this.reason;
  }
}

export async function registerPressureSampler(app: FastifyInstance, config: OverloadConfig): Promise<PressureSignal> {
  await app.register(underPressure, { sampleInterval: config.sampleMs, eventLoopUtilizationMode: 'interval' });
  const streak = new PressureStreak();
  // Read on the plugin's beat: each reading is the last sample's figures.
  const timer = setInterval(() => streak.observe(pressureReason(app.memoryUsage(), config)), config.sampleMs).unref();
  app.addHook('onClose', async () => clearInterval(timer));
  return () => streak.current();
}
