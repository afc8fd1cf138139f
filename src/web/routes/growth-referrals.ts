import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { GrowthScope } from './growth.js';

/** The referrals routes (issue 13): the fan's and the artist's. */
export function referralsRoutes(_app: FastifyInstance, _ctx: AppContext, _scope: GrowthScope): void {}
