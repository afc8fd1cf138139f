import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/index.js';
import { DAY, floorTo } from './time.js';

/**
 * A visitor id: SHA-256 of the day's salt, IP, User-Agent and campaign, 128 bits in base64url.
 * Without the salt (deleted after a day) it cannot be linked back to an IP, nor across days.
 */
export function visitorId(salt: string, ip: string, userAgent: string, campaignId: number): string {
  return createHash('sha256').update(`${salt}\u0000${ip}\u0000${userAgent}\u0000${campaignId}`).digest('base64url').slice(0, 22);
}

/**
 * One random salt per UTC day, shared by every process through the database (the first to need a
 * day's salt creates it). `rotate` deletes salts, and the visitor rows made with them, older than
 * yesterday: yesterday's is kept one more day for requests buffered across midnight.
 */
export class SaltStore {
  private readonly cache = new Map<number, string>();

  constructor(private readonly db: Db) {}

  /** The salt for the UTC day of `at`; never one older than yesterday (those are deleted). */
  async saltFor(at: number, now: number): Promise<{ day: number; salt: string }> {
    const day = Math.max(floorTo(at, DAY), floorTo(now, DAY) - DAY);
    const cached = this.cache.get(day);
    if (cached) return { day, salt: cached };
    await this.db
      .insertInto('analytics_salts')
      .values({ day, salt: randomBytes(32).toString('base64'), created_at: now })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
    const row = await this.db.selectFrom('analytics_salts').select('salt').where('day', '=', day).executeTakeFirstOrThrow();
    this.cache.set(day, row.salt);
    return { day, salt: row.salt };
  }

  /**
   * Deletes salts and visitor state older than yesterday (UTC). Returns how many salts went.
   * Visitor rows go in chunks with a pause between them: a big day holds a million rows, and one
   * DELETE of them all would hold SQLite (and the event loop) for seconds.
   */
  async rotate(now: number, chunk = 2000): Promise<number> {
    const keepFrom = floorTo(now, DAY) - DAY;
    for (const day of this.cache.keys()) if (day < keepFrom) this.cache.delete(day);
    const res = await this.db.deleteFrom('analytics_salts').where('day', '<', keepFrom).executeTakeFirst();
    for (;;) {
      const old = await this.db.selectFrom('analytics_visitors').select('visitor').where('day', '<', keepFrom).limit(chunk).execute();
      if (old.length === 0) break;
      await this.db
        .deleteFrom('analytics_visitors')
        .where(
          'visitor',
          'in',
          old.map((r) => r.visitor),
        )
        .where('day', '<', keepFrom)
        .execute();
      if (old.length < chunk) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return Number(res.numDeletedRows);
  }
}
