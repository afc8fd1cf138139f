import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebPushSender } from '../src/reach/push/sender.js';
import { startPushFake, type PushFake } from './fakes/push/index.js';

/**
 * The web push sender against a local push service that checks what a real one checks (the
 * VAPID JWT, aes128gcm, TTL) and decrypts the payload with the subscription's own keys — code
 * written from the RFCs, not the `web-push` package the sender uses.
 */
describe('web push sender ↔ push service', () => {
  let fake: PushFake;
  const vapid = webpush.generateVAPIDKeys();
  const sender = new WebPushSender(vapid, 'mailto:ops@dropday.example');
  const opts = { ttlSeconds: 3600, timeoutMs: 5000 };
  const payload = { title: 'Lumen is out', body: 'Glass Tides — listen now', url: 'https://dropday.example/lumen', tag: 'out_now:1' };

  beforeAll(async () => {
    fake = await startPushFake();
  });
  afterAll(async () => {
    await sender.close();
    await fake.close();
  });

  it('delivers an encrypted payload the browser can read, with the TTL asked for', async () => {
    const sub = fake.subscribe(vapid.publicKey);
    expect(await sender.send(JSON.stringify(sub.json), payload, opts)).toEqual({ ok: true });
    const [got] = fake.inbox(sub.id);
    expect(got?.json).toEqual(payload);
    expect(got?.ttl).toBe(3600);
    expect(fake.refused).toEqual([]);
  });

  it('is refused (403, permanent) when signed with another key than the subscription was made for', async () => {
    const sub = fake.subscribe(webpush.generateVAPIDKeys().publicKey);
    const out = await sender.send(JSON.stringify(sub.json), payload, opts);
    expect(out).toMatchObject({ ok: false, kind: 'permanent' });
    expect(out.ok ? '' : out.reason).toMatch(/403/);
    expect(fake.inbox(sub.id)).toEqual([]);
    expect(fake.refused.at(-1)).toMatchObject({ id: sub.id, status: 403 });
  });

  it('is refused (403) when the VAPID JWT is forged: the signature does not verify with k', async () => {
    const sub = fake.subscribe(vapid.publicKey);
    const other = new WebPushSender(
      { publicKey: vapid.publicKey, privateKey: webpush.generateVAPIDKeys().privateKey },
      'mailto:x@y.example',
    );
    const out = await other.send(JSON.stringify(sub.json), payload, opts);
    await other.close();
    expect(out).toMatchObject({ ok: false, kind: 'permanent' });
    expect(fake.refused.at(-1)?.problem).toMatch(/signature/);
  });

  it('410 and 404 are `gone`: the subscription is to be deleted', async () => {
    const a = fake.subscribe(vapid.publicKey);
    fake.answer(a.id, { status: 410 });
    expect(await sender.send(JSON.stringify(a.json), payload, opts)).toMatchObject({ ok: false, kind: 'gone' });
    const b = fake.subscribe(vapid.publicKey);
    fake.answer(b.id, { status: 404 });
    expect(await sender.send(JSON.stringify(b.json), payload, opts)).toMatchObject({ ok: false, kind: 'gone' });
  });

  it('429 with Retry-After pauses for that long; a 5xx is transient; an unreachable service is transient', async () => {
    const a = fake.subscribe(vapid.publicKey);
    fake.answer(a.id, { status: 429, retryAfter: '120' });
    expect(await sender.send(JSON.stringify(a.json), payload, opts)).toMatchObject({
      ok: false,
      kind: 'retry_after',
      retryAfterMs: 120_000,
    });
    fake.answer(a.id, { status: 500 });
    expect(await sender.send(JSON.stringify(a.json), payload, opts)).toMatchObject({ ok: false, kind: 'transient' });
    const gone = { ...a.json, endpoint: 'http://127.0.0.1:9/push/nobody' };
    expect(await sender.send(JSON.stringify(gone), payload, opts)).toMatchObject({ ok: false, kind: 'transient' });
  });
});
