import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

/**
 * A stateful stand-in for the TikTok Events API 2.0 (`POST /open_api/v1.3/event/track/`, header
 * `Access-Token`), strict about the documented shape: `{event_source:'web', event_source_id:<pixel
 * code>, data:[{event, event_time (unix s), event_id, user:{email?:sha256, external_id?:sha256, ip,
 * user_agent}, page:{url}}]}`. TikTok answers errors as HTTP 200 with a non-zero `code`: 40001 for a
 * token it does not accept, 40002 for bad parameters; success is `{code:0, message:'OK',
 * request_id}`. Records accepted events per pixel code and every raw body.
 */
export interface TiktokEvent {
  pixel: string;
  event: string;
  event_time: number;
  event_id: string;
  user: Record<string, unknown>;
  page: { url: string };
}

export interface TiktokFake {
  url: string;
  events: Map<string, TiktokEvent[]>;
  bodies: string[];
  refusals: { code: number; message: string }[];
  /** Fault switch: the next requests are refused with these codes (HTTP 200, as TikTok does), one each, before any check. */
  faults: { code: number; message: string }[];
  addPixel(code: string, token: string): void;
  env(): Record<string, string>;
  close(): Promise<void>;
}

const EVENTS = new Set(['ViewContent', 'SubmitForm', 'CompleteRegistration', 'Contact', 'Subscribe', 'ClickButton']);
const HASHED = /^[0-9a-f]{64}$/;
const USER_KEYS = new Set(['email', 'phone', 'external_id', 'ip', 'user_agent', 'ttp', 'ttclid']);

function problemOf(body: Record<string, unknown>): string | null {
  if (body.event_source !== 'web') return 'event_source must be web';
  const data = body.data;
  if (!Array.isArray(data) || data.length === 0 || data.length > 1000) return 'data must be a list of 1 to 1000 events';
  for (const [i, e] of data.entries()) {
    const ev = (e ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(ev))
      if (!['event', 'event_time', 'event_id', 'user', 'page', 'properties'].includes(k)) return `data[${i}]: unknown field ${k}`;
    if (typeof ev.event !== 'string' || !EVENTS.has(ev.event)) return `data[${i}].event is not a supported event`;
    if (typeof ev.event_time !== 'number' || !Number.isInteger(ev.event_time)) return `data[${i}].event_time must be unix seconds`;
    if (typeof ev.event_id !== 'string' || !ev.event_id) return `data[${i}].event_id must be a string`;
    const u = ev.user as Record<string, unknown> | undefined;
    if (!u || typeof u !== 'object') return `data[${i}].user is required`;
    for (const k of Object.keys(u)) if (!USER_KEYS.has(k)) return `data[${i}].user: unknown field ${k}`;
    for (const k of ['email', 'phone', 'external_id']) {
      if (u[k] !== undefined && (typeof u[k] !== 'string' || !HASHED.test(u[k])))
        return `data[${i}].user.${k} must be a SHA-256 hex digest`;
    }
    if (typeof u.ip !== 'string' || typeof u.user_agent !== 'string') return `data[${i}].user needs ip and user_agent for web events`;
    const page = ev.page as Record<string, unknown> | undefined;
    if (!page || typeof page.url !== 'string' || !/^https?:\/\//.test(page.url)) return `data[${i}].page.url is required`;
  }
  return null;
}

export async function startTiktokFake(): Promise<TiktokFake> {
  const tokens = new Map<string, string>();
  const events = new Map<string, TiktokEvent[]>();
  const bodies: string[] = [];
  const refusals: TiktokFake['refusals'] = [];
  const faults: TiktokFake['faults'] = [];
  let request = 0;
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post('/open_api/v1.3/event/track/', async (req) => {
    const raw = typeof req.body === 'string' ? req.body : '';
    bodies.push(raw);
    const request_id = `req${++request}`;
    const refuse = (code: number, message: string) => {
      refusals.push({ code, message });
      return { code, message, request_id, data: {} };
    };
    const fault = faults.shift();
    if (fault) return refuse(fault.code, fault.message);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return refuse(40002, 'Invalid JSON');
    }
    const pixel = typeof body.event_source_id === 'string' ? body.event_source_id : '';
    const token = req.headers['access-token'];
    if (!pixel || !tokens.has(pixel) || token !== tokens.get(pixel))
      return refuse(40001, 'No permission to operate pixel code, or the access token is invalid');
    const problem = problemOf(body);
    if (problem) return refuse(40002, problem);
    const list = events.get(pixel) ?? [];
    for (const e of body.data as Omit<TiktokEvent, 'pixel'>[]) list.push({ pixel, ...e });
    events.set(pixel, list);
    return { code: 0, message: 'OK', request_id, data: {} };
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    events,
    bodies,
    refusals,
    faults,
    addPixel: (code, token) => void tokens.set(code, token),
    env: () => ({ TIKTOK_API_URL: url }),
    close: () => app.close(),
  };
}
