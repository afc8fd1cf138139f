import type { TrackEvent } from '../../analytics/types.js';
import type { AppContext } from '../../context.js';
import type { ServiceId } from '../../providers/services.js';
import { detectInApp, type InAppKind, type InAppVerdict } from './detect.js';
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
 * The campaign page's rescue options for a request (the route's and the page front's alike: the
 * User-Agent and the address), and what they add to the page cache's variant key: nothing for an
 * ordinary visitor (the same bytes as without the rescue), the app and OS for an in-app one, the
 * chosen service after a hop. A page carrying an escape id is one fan's: it is rendered, not kept.
 */
export function rescueOptions(
  ctx: Pick<AppContext, 'config' | 'log' | 'now'>,
  ask: { userAgent?: string | undefined; url?: string | undefined },
  campaignId: number,
  services: readonly ServiceId[],
): RescueOptions & { key: string } {
  const verdict = detectInApp(ask.userAgent);
  const hop = ask.url?.includes('service=') ? new URLSearchParams(ask.url.slice(ask.url.indexOf('?') + 1)) : null;
  // The hot path: an ordinary visitor without ?service= allocates nothing here.
  if (!verdict && !hop) return ORDINARY;
  const inapp = verdict && services.some(needsRealBrowser) ? verdict : null;
  const wanted = hop?.get('service');
  const chosen = services.find((s) => s === wanted) ?? null;
  const esc = chosen ? escapeIds(ctx).verify(campaignId, hop?.get('esc'), ctx.now()) : null;
  const key = `${inapp ? ` inapp:${inapp.kind}:${inapp.os}` : ''}${chosen ? ` chosen:${chosen}` : ''}`;
  return key ? { inapp, chosen, esc, key } : ORDINARY;
}

/**
 * The events one view of the campaign page records: `page_view`, and `inapp_view` (with the app)
 * when it is seen inside an app. The one list for both ways the page is answered (the `/:slug`
 * route, web/page-front.ts).
 */
export function campaignViewEvents(userAgent: string | undefined, campaignId: number): TrackEvent[] {
  const app: InAppKind | null = detectInApp(userAgent)?.kind ?? null;
  const view: TrackEvent = { event: 'page_view', campaignId };
  return app ? [view, { event: 'inapp_view', campaignId, service: app }] : [view];
}
