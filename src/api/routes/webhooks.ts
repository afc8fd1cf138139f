import type { AppContext } from '../../context.js';
import type { Api } from '../index.js';

/** /api/v1 routes for webhooks (to be written). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function webhookRoutes(api: Api, ctx: AppContext): void {}
