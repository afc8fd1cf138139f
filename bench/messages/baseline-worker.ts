/**
 * The BASELINE of `bench:messages`: a bare loop sending the same messages as the engine — the
 * same composition (reach/messages/compose), the same SMTP transport (pool, DKIM when set) and
 * the same push sender (web-push encryption and VAPID) — with the same concurrency, and no
 * database: no claims, no leases, no settles, no consent checks, no rate governor.
 *
 *   node --import tsx bench/messages/baseline-worker.ts <json options>
 *
 * Prints `BASELINE_DONE {"mail":n,"push":n,"failed":n}` when its share is sent.
 */
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { composeMessage } from '../../src/reach/messages/compose/index.js';
import { createFanMailer } from '../../src/reach/mail/transport.js';
import { WebPushSender } from '../../src/reach/push/sender.js';
import { benchAddress, benchManageId, benchPushId, MESSAGES_SLUG } from './seed.js';

interface Options {
  env: Record<string, string>;
  mail: [number, number];
  push: [number, number];
  concurrency: number;
  pushOrigin: string;
  p256dh: string;
  auth: string;
}

const o = JSON.parse(process.argv[2]!) as Options;
const config = loadConfig(o.env);
const ctx = { config, log: pino({ level: 'silent' }), now: Date.now } as unknown as AppContext;
const mailer = createFanMailer(ctx);
const vapid = config.reach.push.vapid!;
const push = new WebPushSender(vapid, config.reach.push.subject);
const campaign = { title: 'Out Now', artist_name: 'The Benchmarks', slug: MESSAGES_SLUG, artwork_url: null };

/** The English "out now" the engine composes for the recipient with this manage id. */
const outNow = (manageId: string) =>
  composeMessage(ctx, { type: 'out_now', lang: 'en', campaign, manageId, outNow: { service: null, receipt: null } });

const mailJobs: (() => Promise<boolean>)[] = [];
const pushJobs: (() => Promise<boolean>)[] = [];
for (let i = o.mail[0]; i <= o.mail[1]; i++) {
  mailJobs.push(async () => {
    const c = outNow(benchManageId('c', i));
    const r = await mailer.send({ to: benchAddress(i), subject: c.subject, text: c.text, html: c.html, unsubscribe: c.unsubscribe });
    return r.ok;
  });
}
for (let i = o.push[0]; i <= o.push[1]; i++) {
  pushJobs.push(async () => {
    const c = outNow(benchManageId('p', i));
    const sub = JSON.stringify({ endpoint: `${o.pushOrigin}/push/${benchPushId(i)}`, keys: { p256dh: o.p256dh, auth: o.auth } });
    const r = await push.send(sub, c.push, { ttlSeconds: config.reach.push.ttlSeconds, timeoutMs: 10_000 });
    return r.ok;
  });
}
// Interleave mail and push the way the engine's claims (by id, mail and push alike) mix them.
const jobs: (() => Promise<boolean>)[] = [];
for (let k = 0; k < Math.max(mailJobs.length, pushJobs.length); k++) {
  if (k < mailJobs.length) jobs.push(mailJobs[k]!);
  if (k < pushJobs.length) jobs.push(pushJobs[k]!);
}
let next = 0;
let failed = 0;
process.stdout.write('BASELINE_READY\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
await Promise.all(
  Array.from({ length: o.concurrency }, async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      if (!(await job())) failed++;
    }
  }),
);
mailer.close();
await push.close();
process.stdout.write(`BASELINE_DONE ${JSON.stringify({ mail: o.mail[1] - o.mail[0] + 1, push: o.push[1] - o.push[0] + 1, failed })}\n`);
process.exit(0);
