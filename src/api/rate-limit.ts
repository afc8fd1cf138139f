import type { FastifyReply, FastifyRequest } from 'fastify';
import { reserve, throttleKey, type ThrottleLimit } from '../accounts/throttle.js';
import type { AppContext } from '../context.js';
import { RetryLaterError } from '../errors.js';
import { networkPrefix } from '../growth/referrals/fan-keys.js';
import type { ApiKey } from './keys/store.js';

/**
 * Rate limits of the API (docs/api.md "Rate limits"), counted in the shared `throttles` table so
 * every web process sees one count: requests per key per minute (its prefix is the throttle key),
 * announced on every authenticated answer with the RateLimit-* headers; and failed authentications
 * per network, so a stranger guessing keys is bounded.
 */
const WINDOW_MS = 60_000;

function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

/** Takes one request slot for the key and says so in the headers; over the limit: 429 with Retry-After. */
export async function takeKeySlot(ctx: AppContext, reply: FastifyReply, key: ApiKey): Promise<void> {
  const limit: ThrottleLimit = { windowMs: WINDOW_MS, max: ctx.config.api.rateLimitPerMinute };
  const now = ctx.now();
  const slot = await reserve(ctx.db, 'api-key', throttleKey('api-key', key.prefix), now, limit);
  reply.header('RateLimit-Limit', String(limit.max));
  reply.header('RateLimit-Policy', `${limit.max};w=${WINDOW_MS / 1000}`);
  if (!slot.ok) {
    reply.header('RateLimit-Remaining', '0');
    reply.header('RateLimit-Reset', String(Math.max(1, seconds(slot.waitMs))));
    throw new RetryLaterError('RATE_LIMITED', slot.waitMs, `This API key made more than ${limit.max} requests in a minute.`);
  }
  reply.header('RateLimit-Remaining', String(Math.max(0, limit.max - slot.count)));
  reply.header('RateLimit-Reset', String(seconds(slot.resetAt - now)));
}

function networkKey(req: FastifyRequest): string {
  return throttleKey('api-auth-ip', networkPrefix(req.ip));
}

/**
 * Refuses a network that used up its failed authentications, before any key is looked at: once
 * over the limit, even the right key waits (otherwise the limit would not bound guessing).
 */
export async function refuseBlockedNetwork(ctx: AppContext, req: FastifyRequest): Promise<void> {
  const now = ctx.now();
  const row = await ctx.db
    .selectFrom('throttles')
    .select(['count', 'reset_at'])
    .where('scope', '=', 'api-auth-ip')
    .where('key_hash', '=', networkKey(req))
    .executeTakeFirst();
  if (row && Number(row.reset_at) > now && Number(row.count) >= ctx.config.api.authFailuresPerMinute) {
    throw tooManyFailures(Number(row.reset_at) - now);
  }
}

/** Counts a failed authentication (an unknown, forged or malformed key) against the network. */
export async function countFailedAuth(ctx: AppContext, req: FastifyRequest): Promise<void> {
  const slot = await reserve(ctx.db, 'api-auth-ip', networkKey(req), ctx.now(), {
    windowMs: WINDOW_MS,
    max: ctx.config.api.authFailuresPerMinute,
  });
  if (!slot.ok) throw tooManyFailures(slot.waitMs);
}

function tooManyFailures(waitMs: number): RetryLaterError {
  return new RetryLaterError('RATE_LIMITED', waitMs, 'Too many requests with an API key that is not valid came from this network.');
}
