import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DropdayError } from '../errors.js';
import { storableTextProblem } from '../util/text.js';
import { isMultipartBody } from './form-fields.js';
import { syncHook } from './sync-hook.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The body types a route accepts. Unset: what this app's HTML forms send (FORM_TYPES);
     * anything else is refused with 415 before the body is read. 'any': the route reads (or
     * ignores) bodies itself, like the Sandbox's Spotify-shaped API.
     */
    bodyTypes?: readonly string[] | 'any';
  }
}

export const FORM_URLENCODED = 'application/x-www-form-urlencoded';
export const FORM_TYPES: readonly string[] = [FORM_URLENCODED, 'multipart/form-data'];

/** The deepest nesting a body may have (JSON bodies; forms are flat). */
const MAX_DEPTH = 8;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * One guard for every input, before any handler runs (so before any write): the URL path and
 * query, header values, cookies and bodies are refused with a 400 naming the field when they hold
 * a NUL, invalid UTF-8 or half a surrogate pair; bodies of a type the route does not take get 415.
 * Form bodies are parsed strictly here (a bad percent-encoding is an error, not U+FFFD).
 * Call it before registerAuth and the routes, so its hooks run first.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addContentTypeParser(FORM_URLENCODED, { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseUrlEncoded(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addHook(
    'onRequest',
    syncHook((req) => {
      checkUrl(req.url);
      checkHeaders(req);
      checkBodyType(req);
    }),
  );
  app.addHook(
    'preValidation',
    syncHook((req) => checkBody(req.body)),
  );
}

function refuse(where: string, problem: string, field?: string): DropdayError {
  return new DropdayError('VALIDATION', `The request was refused: ${where} ${problem}.`, field ? { [field]: problem } : undefined);
}

/** A name from the request, safe to quote in a message. */
function quoted(name: string): string {
  return JSON.stringify(name.replace(/[^\x20-\x7e\u00a0-\ud7ff\ue000-\uffff]/g, '?').slice(0, 60));
}

/** Strict percent-decoding: invalid UTF-8 (or a lone surrogate encoded as UTF-8) is an error. */
function decode(s: string, plusIsSpace: boolean): string | null {
  try {
    return decodeURIComponent(plusIsSpace ? s.replace(/\+/g, ' ') : s);
  } catch {
    return null;
  }
}

function checkUrl(url: string): void {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const decoded = decode(path, false);
  if (decoded === null) throw refuse('the address', 'has a %-encoding that is malformed or not UTF-8');
  const problem = storableTextProblem(decoded);
  if (problem) throw refuse('the address', problem);
  if (q >= 0) parsePairs(url.slice(q + 1), 'the query parameter');
}

/**
 * `a=1&b=2&a=3` → { a: ['1', '3'], b: '2' } (a repeated field becomes an array), or a 400 naming
 * the field whose name or value is not storable text. No prototype: `__proto__` is a plain key.
 */
function parsePairs(text: string, kind: string): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const key = decode(rawKey, true);
    if (key === null || storableTextProblem(key)) throw refuse(`a ${kind.replace(/^the /, '')} name`, 'is not valid text');
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1), true);
    const problem = value === null ? 'has a %-encoding that is malformed or not UTF-8' : storableTextProblem(value);
    if (problem || value === null) throw refuse(`${kind} ${quoted(key)}`, problem ?? 'is not valid', key);
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function parseUrlEncoded(body: Buffer): Record<string, string | string[]> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw refuse('the form', 'is not valid UTF-8');
  }
  return parsePairs(text, 'the field');
}

function checkHeaders(req: FastifyRequest): void {
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : [value ?? '']) {
      if (v.includes('\u0000')) throw refuse(`the header ${quoted(name)}`, 'contains a NUL character', name);
    }
  }
  // A cookie that is not storable text was not set by this app: treat it as absent.
  const cookies = req.cookies as Record<string, string | undefined> | undefined;
  for (const [name, value] of Object.entries(cookies ?? {})) {
    if (value !== undefined && storableTextProblem(value)) delete cookies![name];
  }
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function checkBodyType(req: FastifyRequest): void {
  if (!BODY_METHODS.has(req.method) || !req.routeOptions.url || !hasBody(req)) return;
  const accepted = req.routeOptions.config.bodyTypes ?? FORM_TYPES;
  if (accepted === 'any') return;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!accepted.includes(type)) {
    throw new DropdayError(
      'UNSUPPORTED_MEDIA_TYPE',
      `This address takes ${accepted.map((t) => (t === FORM_URLENCODED ? 'form fields' : t)).join(' or ')}, ` +
        `not ${type ? quoted(type) : 'a body without a Content-Type'}. Send the form from its page.`,
    );
  }
}

/** Every string in a parsed body (form fields, multipart text fields, JSON) must be storable. */
function checkBody(body: unknown): void {
  if (body === undefined || body === null) return;
  if (isMultipartBody(body)) {
    for (const [name, values] of body.fields) for (const v of values) checkText(name, v);
    return;
  }
  walk(body, '', 0);
}

function checkText(field: string, value: string): void {
  const problem = storableTextProblem(field) ? 'has a name that is not valid text' : storableTextProblem(value);
  if (problem) throw refuse(`the field ${quoted(field)}`, problem, field);
}

function walk(value: unknown, field: string, depth: number): void {
  if (depth > MAX_DEPTH) throw refuse('the body', `is nested more than ${MAX_DEPTH} levels deep`);
  if (typeof value === 'string') return checkText(field || 'body', value);
  if (Buffer.isBuffer(value) || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) walk(v, field, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const name = field ? `${field}.${k}` : k;
    if (storableTextProblem(k)) throw refuse(`a field name`, 'is not valid text');
    walk(v, name, depth + 1);
  }
}
