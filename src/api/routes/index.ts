import type { AppContext } from '../../context.js';
import type { Api } from '../index.js';
import { workspaceRoutes } from './workspaces.js';
import { keyRoutes } from './keys.js';
import { campaignRoutes } from './campaigns.js';
import { linkRoutes } from './links.js';
import { deliveryRoutes } from './delivery.js';
import { presaveRoutes } from './presaves.js';
import { contactRoutes } from './contacts.js';
import { analyticsRoutes } from './analytics.js';
import { webhookRoutes } from './webhooks.js';
import { metaRoutes } from './meta.js';

/** Every module of /api/v1 routes, one per resource (docs/api.md lists them). */
export const API_ROUTES: ReadonlyArray<(api: Api, ctx: AppContext) => void> = [
  metaRoutes,
  workspaceRoutes,
  keyRoutes,
  campaignRoutes,
  linkRoutes,
  deliveryRoutes,
  presaveRoutes,
  contactRoutes,
  analyticsRoutes,
  webhookRoutes,
];
