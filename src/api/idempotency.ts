import type { FastifyInstance, FastifyReply, RouteOptions } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { AppContext } from '../context.js';
import type { Db } from '../db/index.js';
import { DropdayError, ValidationError } from '../errors.js';
import { sha256b64url } from '../util/random.js';
import { PROBLEM_TYPE } from './problem.js';
import { errors } from './schemas.js';

/**
 * `Idempotency-Key` on every POST under /api/v1 (docs/api.md "Retrying safely"). THE ONLY WRITER of
 * `api_idempotency`. The first request with a key inserts a row (the primary key makes concurrent
 * retries safe: one wins, the others answer 409 and retry in a second); when it completes its status
 * and body are stored, encrypted (an answer can hold a secret: a new API key), and a retry with the
 * same key, method, path and body gets them again with `Idempotent-Replayed: true`. A 5xx is not kept
 * (the row goes, so a retry runs again). Answers are kept 24 hours.
 *
 * It starts after the request validated (preHandler), and a 400 the handler's own checks give is
 * forgotten too: no 400 is remembered, so a client may fix the body and retry under the same key,
 * as with other APIs' idempotency keys.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A row still without an answer after this long belongs to a request that died with its process. */
const ABANDONED_MS = 5 * 60_000;
const KEY_SHAPE = /^[\x20-\x7E]{1,255}$/;
const HEADER = 'idempotency-key';

declare module 'fastify' {
  interface FastifyRequest {
    /** The idempotency row this request owns (set when it was the first with its key). */
    idempotency: { keyId: number; idemKey: string } | null;
  }
}

/** The same JSON whatever order a client wrote its fields in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function aad(keyId: number, idemKey: string): string {
  return `api_idempotency:${keyId}:${idemKey}`;
}

interface Stored {
  contentType: string;
  body: string;
}

const IdempotencyHeader = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[\\x20-\\x7E]+$',
  description:
    'Makes a retry safe: a second request with the same key (and the same body) gets the first answer. 1–255 printable ASCII characters; kept 24 hours.',
});

/**
 * Puts the header and its two refusals into every POST's schema: the OpenAPI document shows them,
 * and the header is validated like any other input (a 400 naming `headers.idempotency-key`).
 */
export function documentIdempotency(route: RouteOptions): void {
  if (![route.method].flat().includes('POST') || !route.schema) return;
  const schema = route.schema as { headers?: TSchema & { properties?: Record<string, TSchema> }; response?: Record<string, unknown> };
  schema.headers = Type.Object({ ...(schema.headers?.properties ?? {}), 'idempotency-key': Type.Optional(IdempotencyHeader) });
  if (schema.response) schema.response = { ...errors(409, 422), ...schema.response };
}

export function registerIdempotency(api: FastifyInstance, ctx: AppContext): void {
  api.decorateRequest('idempotency', null);
  api.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.apiKey) return;
    const raw = req.headers[HEADER];
    if (raw === undefined) return;
    const idemKey = Array.isArray(raw) ? '' : raw;
    if (!KEY_SHAPE.test(idemKey)) {
      throw new ValidationError({ 'headers.idempotency-key': 'must be 1 to 255 printable ASCII characters' });
    }
    const request = { method: req.method, path: req.url, bodyHash: sha256b64url(canonical(req.body ?? null)) };
    const keyId = req.apiKey.id;
    if (await claim(ctx, keyId, idemKey, request)) {
      req.idempotency = { keyId, idemKey };
      return;
    }
    return replay(ctx, reply, keyId, idemKey, request);
  });
  api.addHook('onSend', async (req, reply, payload) => {
    const own = req.idempotency;
    if (!own) return payload;
    req.idempotency = null;
    // A 400 is input to fix, whether the schema or the handler's own checks refused it: the fixed
    // body must run under the same key, not meet a mismatch with the refused one.
    if (reply.statusCode === 400 || reply.statusCode >= 500 || (payload !== null && typeof payload !== 'string')) {
      await forget(ctx.db, own.keyId, own.idemKey);
      return payload;
    }
    const stored: Stored = { contentType: String(reply.getHeader('content-type') ?? 'application/json'), body: payload ?? '' };
    await ctx.db
      .updateTable('api_idempotency')
      .set({ status: reply.statusCode, response: ctx.cipher.encrypt(JSON.stringify(stored), aad(own.keyId, own.idemKey)) })
      .where('key_id', '=', own.keyId)
      .where('idem_key', '=', own.idemKey)
      .where('status', 'is', null)
      .execute();
    return payload;
  });
}

interface RequestFacts {
  method: string;
  path: string;
  bodyHash: string;
}

/** Inserts the row for a first request; false when the key is already taken (a retry, or a race). */
async function claim(ctx: AppContext, keyId: number, idemKey: string, r: RequestFacts): Promise<boolean> {
  const now = ctx.now();
  // An expired answer, or a first request that never finished, gives its key up.
  await ctx.db
    .deleteFrom('api_idempotency')
    .where('key_id', '=', keyId)
    .where('idem_key', '=', idemKey)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb.and([eb('status', 'is', null), eb('created_at', '<=', now - ABANDONED_MS)])]))
    .execute();
  const row = await ctx.db
    .insertInto('api_idempotency')
    .values({
      key_id: keyId,
      idem_key: idemKey,
      method: r.method,
      path: r.path,
      body_hash: r.bodyHash,
      status: null,
      response: null,
      created_at: now,
      expires_at: now + IDEMPOTENCY_TTL_MS,
    })
    .onConflict((oc) => oc.columns(['key_id', 'idem_key']).doNothing())
    .returning('key_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Answers a retry with the first answer, or says why it cannot. */
async function replay(ctx: AppContext, reply: FastifyReply, keyId: number, idemKey: string, r: RequestFacts): Promise<FastifyReply> {
  const row = await ctx.db
    .selectFrom('api_idempotency')
    .selectAll()
    .where('key_id', '=', keyId)
    .where('idem_key', '=', idemKey)
    .executeTakeFirst();
  if (row && (row.method !== r.method || row.path !== r.path || row.body_hash !== r.bodyHash)) {
    throw new DropdayError(
      'IDEMPOTENCY_MISMATCH',
      `This Idempotency-Key was first used for ${row.method} ${row.path} with another body; use a new key for a new request.`,
    );
  }
  if (!row || row.status === null || row.response === null) {
    // Still running (or gone between the insert and this read): retry in a moment.
    reply.header('Retry-After', '1');
    throw new DropdayError('IDEMPOTENCY_IN_PROGRESS');
  }
  const stored = JSON.parse(ctx.cipher.decrypt(row.response, aad(keyId, idemKey))) as Stored;
  return reply
    .code(Number(row.status))
    .header('Idempotent-Replayed', 'true')
    .header('Cache-Control', 'no-store')
    .type(stored.contentType || (Number(row.status) >= 400 ? PROBLEM_TYPE : 'application/json'))
    .send(stored.body === '' ? undefined : stored.body);
}

async function forget(db: Db, keyId: number, idemKey: string): Promise<void> {
  await db.deleteFrom('api_idempotency').where('key_id', '=', keyId).where('idem_key', '=', idemKey).where('status', 'is', null).execute();
}

/** Deletes answers past their 24 hours (web/housekeeping.ts). */
export async function deleteExpiredIdempotency(db: Db, now: number): Promise<number> {
  const r = await db.deleteFrom('api_idempotency').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
