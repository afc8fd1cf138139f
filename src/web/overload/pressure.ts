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

export async function registerPressureSampler(app: FastifyInstance, config: OverloadConfig): Promise<PressureSignal> {
  await app.register(underPressure, { sampleInterval: config.sampleMs, eventLoopUtilizationMode: 'interval' });
  return () => pressureReason(app.memoryUsage(), config);
}
