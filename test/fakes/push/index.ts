import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, type ECDH } from 'node:crypto';
import { checkVapid, decryptAes128gcm, newBrowserKeys } from './decrypt.js';

/**
 * A local push service, as the browsers' ones (FCM, Mozilla autopush, Apple) behave for what
 * Dropday sends: `POST /push/<id>` with `Authorization: vapid t=<JWT>, k=<key>` checked (ES256
 * with that key, `aud` = this service's origin, `exp` in the future and at most 24 h away, `sub`
 * present; and `k` must be the key the subscription was made with) — 403 otherwise;
 * `Content-Encoding: aes128gcm` (415 otherwise) and a `TTL` header (400 otherwise); the body is
 * then decrypted with the subscription's private key and auth secret, as the browser would, and
 * kept as plain text. 201 Created. An unknown id is 404.
 *
 * Per subscription a test can make the service answer 410 Gone, 404, or 429 with Retry-After.
 */
export interface ReceivedPush {
  id: string;
  /** The decrypted payload, as the service worker would read it. */
  text: string;
  json: unknown;
  ttl: number;
  urgency: string | undefined;
  /** The fake's own clock (Date.now) when it arrived. */
  at: number;
}

export type PushAnswer = { status: 201 } | { status: 404 } | { status: 410 } | { status: 429; retryAfter: string } | { status: 500 };

export interface FakeSubscription {
  id: string;
  /** What `PushSubscription.toJSON()` gives in a browser. */
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

export interface PushFake {
  url: string;
  /** The origin VAPID tokens must name as `aud`. */
  origin: string;
  host: string;
  received: ReceivedPush[];
  /** Requests refused, with why (a bad VAPID token, a missing header, a payload that does not decrypt). */
  refused: { id: string; status: number; problem: string }[];
  /** A subscription as a browser makes one for `applicationServerKey` (URL-safe base64). */
  subscribe(applicationServerKey: string): FakeSubscription;
  /** How the service answers this subscription from now on. */
  answer(id: string, a: PushAnswer): void;
  /** The messages one subscription received. */
  inbox(id: string): ReceivedPush[];
  close(): Promise<void>;
}

interface Sub {
  ecdh: ECDH;
  auth: Buffer;
  serverKey: string;
  answer: PushAnswer;
}

export async function startPushFake(): Promise<PushFake> {
  const subs = new Map<string, Sub>();
  const received: ReceivedPush[] = [];
  const refused: PushFake['refused'] = [];
  let origin = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const m = /^\/push\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '');
      const id = m?.[1] ?? '';
      const sub = subs.get(id);
      const refuse = (status: number, problem: string) => {
        refused.push({ id, status, problem });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(problem);
      };
      if (req.method !== 'POST' || !m) return refuse(404, 'not a push endpoint');
      if (!sub) return refuse(404, 'no such subscription');
      const vapid = checkVapid(req.headers.authorization, origin, Date.now());
      if (!vapid.ok) return refuse(403, `vapid: ${vapid.problem}`);
      if (vapid.key !== sub.serverKey) return refuse(403, 'vapid: k is not the key this subscription was made with');
      if (req.headers['content-encoding'] !== 'aes128gcm') return refuse(415, 'Content-Encoding must be aes128gcm');
      const ttlHeader = req.headers.ttl;
      if (typeof ttlHeader !== 'string' || !/^\d+$/.test(ttlHeader)) return refuse(400, 'TTL header missing');
      const a = sub.answer;
      if (a.status === 429) return void res.writeHead(429, { 'retry-after': a.retryAfter }).end('slow down');
      if (a.status !== 201) return void res.writeHead(a.status).end(a.status === 410 ? 'subscription gone' : 'error');
      let text: string;
      try {
        text = decryptAes128gcm(Buffer.concat(chunks), sub.ecdh, sub.auth);
      } catch (err) {
        return refuse(400, `payload does not decrypt: ${(err as Error).message}`);
      }
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      received.push({ id, text, json, ttl: Number(ttlHeader), urgency: req.headers.urgency as string | undefined, at: Date.now() });
      res.writeHead(201, { location: `${origin}/message/${randomBytes(6).toString('hex')}` }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    origin,
    host: `127.0.0.1:${port}`,
    received,
    refused,
    subscribe(applicationServerKey) {
      const id = randomBytes(12).toString('base64url');
      const keys = newBrowserKeys();
      subs.set(id, { ecdh: keys.ecdh, auth: keys.auth, serverKey: applicationServerKey, answer: { status: 201 } });
      return {
        id,
        json: {
          endpoint: `${origin}/push/${id}`,
          expirationTime: null,
          keys: { p256dh: keys.p256dh, auth: keys.auth.toString('base64url') },
        },
      };
    },
    answer(id, a) {
      const sub = subs.get(id);
      if (!sub) throw new Error(`no subscription ${id}`);
      sub.answer = a;
    },
    inbox(id) {
      return received.filter((r) => r.id === id);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
