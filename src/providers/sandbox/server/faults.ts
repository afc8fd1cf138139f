import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../../db/index.js';
import type { SandboxFaultTable } from '../../../db/schema.js';
import type { Selectable } from 'kysely';
import { apiError } from './errors.js';
import { sleep } from './params.js';

/**
 * Injected faults live in the database (sandbox_faults) so every process serving the Sandbox
 * sees the same ones. The oldest matching fault with requests left applies; a counted fault is
 * decremented with a conditional UPDATE, so parallel requests never take more hits than it has.
 */
export const FAULT_KINDS = ['rate_limit', 'quota', 'server_error', 'bad_request', 'slow'] as const;
export const FAULT_TARGETS = ['all', 'api', 'token', 'library', 'search'] as const;
export const SERVER_ERROR_STATUSES = [500, 502, 503] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultTarget = (typeof FAULT_TARGETS)[number];

/** The groups of routes a fault can hit; consent pages are never in one. */
export type RouteGroup = 'token' | 'me' | 'search' | 'library';

const TARGETS_HITTING: Record<RouteGroup, FaultTarget[]> = {
  token: ['all', 'token'],
  me: ['all', 'api'],
  search: ['all', 'api', 'search'],
  library: ['all', 'api', 'library'],
};

type FaultRow = Selectable<SandboxFaultTable>;

export async function takeFault(db: Db, group: RouteGroup): Promise<FaultRow | undefined> {
  const candidates = await db
    .selectFrom('sandbox_faults')
    .selectAll()
    .where('target', 'in', TARGETS_HITTING[group])
    .where((eb) => eb.or([eb('remaining', 'is', null), eb('remaining', '>', 0)]))
    .orderBy('id')
    .execute();
  for (const fault of candidates) {
    if (fault.remaining === null) return fault;
    const taken = await db
      .updateTable('sandbox_faults')
      .set((eb) => ({ remaining: eb('remaining', '-', 1) }))
      .where('id', '=', fault.id)
      .where('remaining', '>', 0)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return fault;
  }
  return undefined;
}

const SERVER_ERROR_MESSAGES: Record<number, string> = { 500: 'Server error', 502: 'Bad gateway', 503: 'Service unavailable' };

/** An onRequest hook for one route group: answers with the fault, delays, or lets the request pass. */
export function faultHook(db: Db, group: RouteGroup) {
  return async (_request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const fault = await takeFault(db, group);
    if (!fault) return undefined;
    switch (fault.kind) {
      case 'rate_limit':
      case 'quota':
        reply.header('retry-after', String(fault.retry_after_s ?? 1));
        return apiError(reply, 429, 'API rate limit exceeded', fault.kind === 'quota' ? { reason: 'QUOTA_EXCEEDED' } : {});
      case 'server_error': {
        const status = fault.status_code ?? 500;
        return apiError(reply, status, SERVER_ERROR_MESSAGES[status] ?? 'Server error');
      }
      case 'bad_request':
        // What a real service answers when it refuses what it was asked for (a wrong id, say).
        return apiError(reply, 400, 'Bad request');
      case 'slow':
        await sleep(fault.delay_ms ?? 0);
        return undefined;
      default:
        return undefined;
    }
  };
}
