import type { FastifyRequest } from 'fastify';
import { trackRequest } from '../../analytics/index.js';
import type { AppContext } from '../../context.js';
import type { ServiceId } from '../../providers/services.js';
import { detectInApp, type InAppVerdict } from './detect.js';
import { escapeIds, needsRealBrowser } from './escape.js';

/** What the campaign page shows differently for the in-app browser rescue (views/campaign-page.ts). */
export interface RescueOptions {
  /** In an app's browser whose sign-in breaks an offered service: the notice, and the escape step before those services. */
  inapp: InAppVerdict | null;
  /** `?service=`: the service a fan chose before the hop, highlighted and focused. */
  chosen: ServiceId | null;
  /** `?esc=`: the escape id (verified) that the connect forms carry to the pre-save. */
  esc: string | null;
}

const ORDINARY: RescueOptions & { key: string } = Object.freeze({ inapp: null, chosen: null, esc: null, key: '' });

/**
 * The campaign page's rescue options for this request, and what they add to the page cache's
 * variant key: nothing for an ordinary visitor (the same bytes as without the rescue), the app and
 * OS for an in-app one, the chosen service after a hop. A page carrying an escape id is one fan's:
 * the route renders it without keeping it. Records `inapp_view` for views inside an app.
 */
export function rescueOptions(
  ctx: Pick<AppContext, 'config' | 'log'>,
  req: FastifyRequest,
  campaignId: number,
  services: readonly ServiceId[],
): RescueOptions & { key: string } {
  const verdict = detectInApp(req.headers['user-agent']);
  const query = req.query as { service?: unknown; esc?: unknown } | undefined;
  // The hot path: an ordinary visitor without ?service= allocates nothing here.
  if (!verdict && query?.service === undefined) return ORDINARY;
  if (verdict) trackRequest(req, { event: 'inapp_view', campaignId, service: verdict.kind });
  const inapp = verdict && services.some(needsRealBrowser) ? verdict : null;
  const chosen = (query?.service !== undefined && services.find((s) => s === query.service)) || null;
  const esc = chosen ? escapeIds(ctx).verify(campaignId, query?.esc) : null;
  const key = `${inapp ? ` inapp:${inapp.kind}:${inapp.os}` : ''}${chosen ? ` chosen:${chosen}` : ''}`;
  return { inapp, chosen, esc, key };
}
