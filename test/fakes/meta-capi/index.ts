import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

/**
 * A stateful stand-in for the Meta Conversions API (Graph API `POST /v21.0/{pixel_id}/events`),
 * strict about the documented shape: `{data:[{event_name, event_time (unix s, not older than 7 days),
 * event_id, action_source:'website', event_source_url, user_data:{client_ip_address,
 * client_user_agent, em?:[sha256], external_id?:[sha256], …}}], access_token}` (token in the body or
 * `?access_token=`). Answers `{events_received, messages, fbtrace_id}`; a token it does not know
 * for the pixel is HTTP 400 `{error:{message, type:'OAuthException', code:190, fbtrace_id}}`, a bad
 * payload HTTP 400 with code 100. Records every accepted event per pixel, and every raw body.
 */
export interface MetaEvent {
  pixel: string;
  event_name: string;
  event_time: number;
  event_id: string;
  action_source: string;
  event_source_url: string;
  user_data: Record<string, unknown>;
}

export interface MetaFake {
  url: string;
  /** Accepted events, per pixel. */
  events: Map<string, MetaEvent[]>;
  /** Every request body as received (to scan for anything that should not be there). */
  bodies: string[];
  /** Refused requests: status and error code. */
  refusals: { status: number; code: number; message: string }[];
  addPixel(pixel: string, token: string): void;
  /** Fault switch: the next requests get these answers, one each, before any check (e.g. 429 with Retry-After, 400 code 100). */
  faults: { status: number; code?: number; message?: string; retryAfter?: string }[];
  env(): Record<string, string>;
  close(): Promise<void>;
}

const EVENTS = new Set(['PageView', 'Lead', 'CompleteRegistration', 'ViewContent', 'Purchase', 'Subscribe']);
const HASHED = /^[0-9a-f]{64}$/;
const DATA_KEYS = new Set([
  'event_name',
  'event_time',
  'event_id',
  'action_source',
  'event_source_url',
  'user_data',
  'custom_data',
  'opt_out',
]);
const USER_KEYS = new Set([
  'client_ip_address',
  'client_user_agent',
  'em',
  'ph',
  'external_id',
  'fbp',
  'fbc',
  'country',
  'ct',
  'st',
  'zp',
  'fn',
  'ln',
]);
const HASHED_KEYS = ['em', 'ph', 'external_id', 'country', 'ct', 'st', 'zp', 'fn', 'ln'];

function problemOf(body: Record<string, unknown>, nowS: number): string | null {
  const data = body.data;
  if (!Array.isArray(data) || data.length === 0 || data.length > 1000)
    return 'The parameter data is required and must be an array of 1 to 1000 events';
  for (const [i, e] of data.entries()) {
    if (!e || typeof e !== 'object') return `data[${i}] must be an object`;
    const ev = e as Record<string, unknown>;
    for (const k of Object.keys(ev)) if (!DATA_KEYS.has(k)) return `data[${i}]: unknown parameter ${k}`;
    if (typeof ev.event_name !== 'string' || !EVENTS.has(ev.event_name)) return `data[${i}].event_name is not a standard event`;
    if (typeof ev.event_time !== 'number' || !Number.isInteger(ev.event_time))
      return `data[${i}].event_time must be a unix time in seconds`;
    if (ev.event_time < nowS - 7 * 86_400) return `data[${i}].event_time is more than 7 days in the past`;
    if (ev.event_time > nowS + 60) return `data[${i}].event_time is in the future`;
    if (typeof ev.event_id !== 'string' || !ev.event_id) return `data[${i}].event_id must be a string`;
    if (ev.action_source !== 'website') return `data[${i}].action_source must be website`;
    if (typeof ev.event_source_url !== 'string' || !/^https?:\/\//.test(ev.event_source_url))
      return `data[${i}].event_source_url is required for website events`;
    const u = ev.user_data as Record<string, unknown> | undefined;
    if (!u || typeof u !== 'object') return `data[${i}].user_data is required`;
    for (const k of Object.keys(u)) if (!USER_KEYS.has(k)) return `data[${i}].user_data: unknown parameter ${k}`;
    if (typeof u.client_ip_address !== 'string' || typeof u.client_user_agent !== 'string')
      return `data[${i}].user_data needs client_ip_address and client_user_agent for website events`;
    for (const k of HASHED_KEYS) {
      if (u[k] === undefined) continue;
      if (!Array.isArray(u[k]) || !(u[k] as unknown[]).every((h) => typeof h === 'string' && HASHED.test(h)))
        return `data[${i}].user_data.${k} must be a list of SHA-256 hex digests`;
    }
  }
  return null;
}

export async function startMetaFake(opts: { now?: () => number } = {}): Promise<MetaFake> {
  const now = opts.now ?? Date.now;
  const tokens = new Map<string, string>();
  const events = new Map<string, MetaEvent[]>();
  const bodies: string[] = [];
  const refusals: MetaFake['refusals'] = [];
  const faults: MetaFake['faults'] = [];
  let trace = 0;
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post<{ Params: { pixel: string }; Querystring: { access_token?: string } }>('/v21.0/:pixel/events', async (req, reply) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    bodies.push(raw);
    const fbtrace_id = `trace${++trace}`;
    const fault = faults.shift();
    if (fault) {
      if (fault.retryAfter) void reply.header('retry-after', fault.retryAfter);
      refusals.push({ status: fault.status, code: fault.code ?? 0, message: fault.message ?? '' });
      return reply
        .code(fault.status)
        .send({ error: { message: fault.message ?? 'fault', type: 'OAuthException', code: fault.code ?? 4, fbtrace_id } });
    }
    const refuse = (status: number, code: number, message: string) => {
      refusals.push({ status, code, message });
      return reply.code(status).send({ error: { message, type: 'OAuthException', code, fbtrace_id } });
    };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return refuse(400, 100, 'Invalid parameter: the body is not JSON');
    }
    const token = typeof body.access_token === 'string' ? body.access_token : req.query.access_token;
    const want = tokens.get(req.params.pixel);
    if (!token || !want || token !== want) return refuse(400, 190, 'Invalid OAuth access token - Cannot parse access token');
    const problem = problemOf(body, Math.floor(now() / 1000));
    if (problem) return refuse(400, 100, `Invalid parameter: ${problem}`);
    const list = events.get(req.params.pixel) ?? [];
    for (const e of body.data as Omit<MetaEvent, 'pixel'>[]) list.push({ pixel: req.params.pixel, ...e });
    events.set(req.params.pixel, list);
    return { events_received: (body.data as unknown[]).length, messages: [], fbtrace_id };
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    events,
    bodies,
    refusals,
    faults,
    addPixel: (pixel, token) => void tokens.set(pixel, token),
    env: () => ({ META_GRAPH_URL: url }),
    close: () => app.close(),
  };
}
