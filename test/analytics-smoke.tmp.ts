import { createTestDb } from './helpers/db.js';
import { createAnalytics } from '../src/analytics/capture.js';
import * as Q from '../src/analytics/queries.js';
import * as R from '../src/analytics/raw-queries.js';
import { rebuildRollups } from '../src/analytics/rollups.js';
import pino from 'pino';
const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const t = await createTestDb(dialect);
const log = pino({ level: 'warn' });
let clock = Date.UTC(2026, 0, 10, 12);
const a = createAnalytics({ db: t.db, config: t.config, log, now: () => clock }, {});
const ips = ['81.2.69.160', '8.8.8.8', '1.1.1.1', '2a00:1450:4001:82b::200e', '127.0.0.1'];
const ua = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
for (let i = 0; i < 500; i++) {
  clock += 60_000 * (i % 7);
  const ip = ips[i % ips.length];
  a.capture({ campaignId: 1, event: 'page_view', at: clock, ip, userAgent: ua, referer: i % 3 ? 'https://www.instagram.com/p/x' : null, url: `/slug?utm_source=IG&utm_medium=social&utm_campaign=Launch${i % 2}` });
  if (i % 4 === 0) a.capture({ campaignId: 1, event: 'service_click', service: 'spotify', at: clock + 1000, ip, userAgent: ua, referer: 'http://127.0.0.1:3000/slug', url: '/connect/spotify' });
  if (i % 8 === 0) a.capture({ campaignId: 1, event: 'authorization', service: 'spotify', at: clock + 5000, ip, userAgent: ua });
  if (i % 50 === 0) a.capture({ campaignId: 1, event: 'page_view', at: clock, ip, userAgent: 'Twitterbot/1.0' });
}
await a.close();
console.log(a.stats());
const range = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1) };
for (const name of ['funnel', 'perService', 'geo', 'referrers', 'utm', 'devices'] as const) {
  const x = await (Q[name] as any)(t.db, 1, range);
  const y = await ((R as any)['raw' + name[0]!.toUpperCase() + name.slice(1)])(t.db, 1, range);
  console.log(name, JSON.stringify(x) === JSON.stringify(y) ? 'EQUAL' : 'DIFF', JSON.stringify(x).slice(0, 400));
  if (JSON.stringify(x) !== JSON.stringify(y)) console.log('raw', JSON.stringify(y).slice(0, 400));
}
for (const b of ['hour', 'day'] as const) {
  const x = await Q.timeseries(t.db, 1, range, b); const y = await R.rawTimeseries(t.db, 1, range, b);
  console.log('ts', b, JSON.stringify(x) === JSON.stringify(y) ? 'EQUAL' : 'DIFF', x.points.length);
}
console.log(JSON.stringify(await Q.workspaceOverview(t.db, [1, 2])));
await rebuildRollups(t.db);
const f2 = await Q.funnel(t.db, 1, range); const f3 = await R.rawFunnel(t.db, 1, range);
console.log('after rebuild', JSON.stringify(f2) === JSON.stringify(f3));
console.log(JSON.stringify(await Q.deliveryReport(t.db, 1, Date.now())));
await t.drop();
