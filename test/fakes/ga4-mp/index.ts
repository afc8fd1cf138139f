import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the GA4 Measurement Protocol (`POST /mp/collect?measurement_id=&api_secret=`).
 * Like Google's, it answers 204 to everything — it cannot tell the sender an event or a secret was
 * wrong (Google validates only at /debug/mp/collect) — and records what it got, per measurement id,
 * with whether the secret matched and the body had the documented shape `{client_id,
 * events:[{name, params}]}`.
 */
export interface Ga4Hit {
  measurementId: string;
  secretOk: boolean;
  valid: boolean;
  body: { client_id?: unknown; events?: { name: string; params?: Record<string, unknown> }[] };
}

export interface Ga4Fake {
  url: string;
  hits: Ga4Hit[];
  bodies: string[];
  addStream(measurementId: string, secret: string): void;
  env(): Record<string, string>;
  close(): Promise<void>;
}

export async function startGa4Fake(): Promise<Ga4Fake> {
  const secrets = new Map<string, string>();
  const hits: Ga4Hit[] = [];
  const bodies: string[] = [];
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post<{ Querystring: { measurement_id?: string; api_secret?: string } }>('/mp/collect', async (req, reply) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    bodies.push(raw);
    let body: Ga4Hit['body'] = {};
    try {
      body = JSON.parse(raw) as Ga4Hit['body'];
    } catch {
      body = {};
    }
    const id = req.query.measurement_id ?? '';
    const valid =
      typeof body.client_id === 'string' &&
      Array.isArray(body.events) &&
      body.events.length > 0 &&
      body.events.length <= 25 &&
      body.events.every((e) => typeof e?.name === 'string' && /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(e.name));
    hits.push({ measurementId: id, secretOk: !!id && secrets.get(id) === req.query.api_secret, valid, body });
    return reply.code(204).send();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    hits,
    bodies,
    addStream: (id, secret) => void secrets.set(id, secret),
    env: () => ({ GA4_URL: url }),
    close: () => app.close(),
  };
}
