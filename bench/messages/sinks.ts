/**
 * The far side of `bench:messages` and `chaos:messages`, in a process of its own: a real SMTP
 * server (`smtp-server`) and a push service that checks each request's VAPID token and decrypts
 * its `aes128gcm` payload, as a real one does (test/fakes/push/decrypt.ts). Every subscription
 * the bench seeds shares one browser key pair (printed on start), so any `/push/<id>` is accepted.
 * It counts deliveries per recipient (duplicates are what the chaos checker reads) and can inject
 * faults: `--p451` temporary SMTP refusals, `--p5xx` push 503s.
 *
 *   node --import tsx bench/messages/sinks.ts [--p451 0.02] [--p5xx 0.02] [--seed 1]
 *
 * Prints `MESSAGE_SINKS_READY {json}`; `GET <push>/_counts` answers the counts (with `?full=1` the
 * per-recipient map), `POST <push>/_reset` forgets them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { checkVapid, decryptAes128gcm, newBrowserKeys } from '../../test/fakes/push/decrypt.js';

const { values } = parseArgs({
  options: { p451: { type: 'string', default: '0' }, p5xx: { type: 'string', default: '0' }, seed: { type: 'string', default: '1' } },
});
const p451 = Number(values.p451);
const p5xx = Number(values.p5xx);
let rng = Number(values.seed) >>> 0 || 1;
/** xorshift32: faults repeat with the seed. */
const random = () => {
  rng ^= rng << 13;
  rng ^= rng >>> 17;
  rng ^= rng << 5;
  return (rng >>> 0) / 4294967296;
};

interface Tally {
  total: number;
  per: Map<string, number>;
  first: number;
  last: number;
  refused: number;
  faults: number;
}
const tally = (): Tally => ({ total: 0, per: new Map(), first: 0, last: 0, refused: 0, faults: 0 });
let mail = tally();
let push = tally();
function count(t: Tally, who: string): void {
  const now = Date.now();
  if (!t.first) t.first = now;
  t.last = now;
  t.total++;
  t.per.set(who, (t.per.get(who) ?? 0) + 1);
}
function summary(t: Tally, full: boolean) {
  let duplicates = 0;
  for (const n of t.per.values()) if (n > 1) duplicates += n - 1;
  return {
    total: t.total,
    unique: t.per.size,
    duplicates,
    first: t.first,
    last: t.last,
    refused: t.refused,
    faults: t.faults,
    ...(full ? { per: Object.fromEntries(t.per) } : {}),
  };
}

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  maxClients: 1000,
  onRcptTo(address, _session, callback) {
    if (p451 > 0 && random() < p451) {
      mail.faults++;
      return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
    }
    callback();
  },
  onData(stream, session, callback) {
    // The message is read whole (as a relay would) but not parsed: the sink must not be the bottleneck.
    // A sender killed mid-message (chaos) breaks the stream: that message was not received.
    stream.on('error', () => {});
    stream.on('data', () => {});
    stream.on('end', () => {
      for (const r of session.envelope.rcptTo) count(mail, r.address.toLowerCase());
      callback();
    });
  },
});
// Connections cut by killed senders are expected here; they must not stop the sink.
smtp.on('error', () => {});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
const smtpPort = (smtp.server.address() as AddressInfo).port;

const keys = newBrowserKeys();
let origin = '';
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('error', () => {});
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = req.url ?? '';
    if (url.startsWith('/_counts')) {
      const full = url.includes('full=1');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ mail: summary(mail, full), push: summary(push, full) }));
      return;
    }
    if (url === '/_reset' && req.method === 'POST') {
      mail = tally();
      push = tally();
      res.writeHead(204).end();
      return;
    }
    const m = /^\/push\/([A-Za-z0-9_-]+)$/.exec(url);
    if (req.method !== 'POST' || !m) return void res.writeHead(404).end();
    const vapid = checkVapid(req.headers.authorization, origin, Date.now());
    if (!vapid.ok || req.headers['content-encoding'] !== 'aes128gcm' || typeof req.headers.ttl !== 'string') {
      push.refused++;
      return void res.writeHead(vapid.ok ? 400 : 403).end(vapid.problem ?? 'bad request');
    }
    if (p5xx > 0 && random() < p5xx) {
      push.faults++;
      return void res.writeHead(503).end('busy');
    }
    try {
      JSON.parse(decryptAes128gcm(Buffer.concat(chunks), keys.ecdh, keys.auth));
    } catch {
      push.refused++;
      return void res.writeHead(400).end('payload does not decrypt');
    }
    count(push, m[1]!);
    res.writeHead(201).end();
  });
});
server.keepAliveTimeout = 30_000;
server.on('clientError', (_err, socket) => socket.destroy());
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
process.stdout.write(
  `MESSAGE_SINKS_READY ${JSON.stringify({ smtp: `smtp://127.0.0.1:${smtpPort}`, push: origin, p256dh: keys.p256dh, auth: keys.auth.toString('base64url') })}\n`,
);
process.on('SIGTERM', () => process.exit(0));
