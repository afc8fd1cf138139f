import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import type { GrowthScope } from './growth.js';

/** The preview routes (issue 13): the fan's and the artist's. */
export function previewRoutes(_app: FastifyInstance, _ctx: AppContext, _scope: GrowthScope): void {}
