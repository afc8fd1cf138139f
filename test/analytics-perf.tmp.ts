import { createTestDb } from './helpers/db.js';
import { createAnalytics } from '../src/analytics/capture.js';
import pino from 'pino';
const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const N = Number(process.argv[3] ?? 100000);
const batch = Number(process.argv[4] ?? 1000);
const t = await createTestDb(dialect);
const log = pino({ level: 'warn' });
let clock = Date.UTC(2026, 0, 10, 12);
const a = createAnalytics({ db: t.db, config: t.config, log, now: () => clock }, { batchSize: batch, maxBuffer: 1e6 });
const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  clock += 20;
  const ip = `${1 + (i * 7919) % 200}.${(i * 31) % 256}.${(i * 17) % 256}.${i % 250}`;
  a.capture({ campaignId: 1, event: i % 5 ? 'page_view' : 'service_click', service: i % 5 ? null : 'spotify', at: clock, ip, userAgent: ua, referer: i % 3 ? 'https://www.instagram.com/p/x' : null, url: `/slug?utm_source=IG&utm_medium=social&utm_campaign=Launch${i % 2}` });
  if (i % batch === 0 && a.stats().buffered >= batch * 4) await a.flush();
}
await a.close();
const s = (performance.now() - t0) / 1000;
console.log(dialect, N, 'events', s.toFixed(1), 's', Math.round(N / s), 'ev/s', a.stats());
await t.drop();
process.on("exit",()=>console.log((globalThis as any).__T));
