import type { Range } from './types.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function floorTo(t: number, unit: number): number {
  return Math.floor(t / unit) * unit;
}

export function ceilTo(t: number, unit: number): number {
  return Math.ceil(t / unit) * unit;
}

/** The range widened to whole buckets: rollups cannot answer for part of an hour (or day). */
export function alignRange(range: Range, unit: number): Range {
  const from = floorTo(range.from, unit);
  const to = Math.max(ceilTo(range.to, unit), from);
  return { from, to };
}

export function isAligned(range: Range, unit: number): boolean {
  return range.from % unit === 0 && range.to % unit === 0;
}
