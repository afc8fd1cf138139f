import type { FastifyInstance, FastifyRequest } from 'fastify';
import { getCampaignById } from '../../campaigns/repo.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { consumeState } from '../../oauth/states.js';
import { AppleMusicAdapter } from '../../providers/apple-music/adapter.js';
import { MUSICKIT_AUTHORIZE_TIMEOUT_MS, type AppleMusicConfig } from '../../providers/apple-music/config.js';
import { ProviderError } from '../../providers/types.js';
import { sendError } from '../errors.js';
import { escapeLinks, trackEscapeCompleted } from '../inapp/escape.js';
import { detectInApp } from '../inapp/detect.js';
import { musicKitStuckHelp } from '../views/escape-step.js';
import { FORM_URLENCODED } from '../input-guard.js';
import { ALL_LANGUAGES, fanLang, settleLang } from '../fan-lang.js';
import { musicKitPage } from '../views/musickit-page.js';
import { beginConnect, bindingCookie, connectTarget, noReferrer, requestFacts, storePresave, str, type ConnectQuery } from './connect.js';

const SERVICE = 'apple-music';

interface CallbackBody {
  state?: unknown;
  musicUserToken?: unknown;
  storefront?: unknown;
}

/**
 * Apple Music connect: no OAuth redirect. GET /connect/apple-music renders the MusicKit page
 * (with a single-use `state` bound to this browser by a SameSite=Lax cookie); the page POSTs the
 * Music User Token with that state to /callback/apple-music, which checks the state first (a
 * cross-site POST carries neither), checks the token with Apple, and stores grant and pre-save
 * together. These static paths take precedence over oauth.ts's `/connect/:service`.
 */
export function appleMusicRoutes(app: FastifyInstance, ctx: AppContext, hooks: { onPresave?: () => void }): void {
  app.get<{ Querystring: ConnectQuery }>('/connect/apple-music', async (req, reply) => {
    const adapter = appleMusic(ctx);
    const { campaign, timezone, lang, escape } = await connectTarget(ctx, req, SERVICE);

    let developerToken: string;
    try {
      developerToken = adapter.developerToken();
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      req.log.error({ service: SERVICE, msg: err.message }, 'Apple Music developer token cannot be signed');
      throw new DropdayError('PROVIDER_ERROR').say('musickit.not_set_up');
    }

    const { state } = await beginConnect(ctx, req, reply, { service: SERVICE, campaignId: campaign.id, timezone, lang, escape });
    const page = musicKitPage({
      campaign,
      nonce: req.cspNonce,
      lang,
      musicKitJsUrl: adapter.config.musicKitJsUrl,
      developerToken,
      appName: adapter.config.appName,
      state,
      authorizeTimeoutMs: adapter.config.authorizeTimeoutMs ?? MUSICKIT_AUTHORIZE_TIMEOUT_MS,
      stuckHelp: musicKitStuckHelp(
        lang,
        detectInApp(req.headers['user-agent']),
        escapeLinks(ctx.config.publicUrl, campaign.slug, SERVICE, undefined, lang),
        req.cspNonce,
      ),
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .header('Content-Security-Policy', musicKitCsp(req.cspNonce, adapter.config))
      .send(page.value);
  });

  // The MusicKit page posts JSON (fetch); a form post is accepted too.
  const bodyTypes = [FORM_URLENCODED, 'application/json'];
  app.post<{ Body: CallbackBody }>('/callback/apple-music', { ...noReferrer, config: { bodyTypes } }, async (req, reply) => {
    const body = (req.body ?? {}) as CallbackBody;
    // The state is checked first: it proves this browser started this pre-save on this page.
    const pending = await consumeState(ctx, { state: str(body.state), service: SERVICE, browserBinding: bindingCookie(req) }, ctx.now());
    settleLang(req, fanLang(req, ALL_LANGUAGES, pending.lang));
    const adapter = appleMusic(ctx);
    const campaign = await getCampaignById(ctx.db, pending.campaignId);
    const back = `/${campaign.slug}`;
    const musicUserToken = str(body.musicUserToken);
    if (!musicUserToken || musicUserToken.length > 4096 || /[\s\u0000-\u001f]/.test(musicUserToken)) {
      return sendError(req, reply, new DropdayError('VALIDATION').say('musickit.no_authorization'), back);
    }
    if (campaign.status !== 'active') throw new DropdayError('CAMPAIGN_ARCHIVED');

    let presaveId: string;
    let added: boolean;
    try {
      const account = await adapter.currentAccount(musicUserToken);
      // The storefront Apple reports (not the one the page posted) is the fan's market.
      const market = (await adapter.storefrontOf(musicUserToken))?.toUpperCase() ?? null;
      const tokens = adapter.tokensFor(musicUserToken);
      ({ publicId: presaveId, added } = await storePresave(ctx, {
        campaign,
        service: SERVICE,
        account,
        tokens,
        pending,
        market,
        fan: requestFacts(req),
      }));
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      let words: 'musickit.token_refused' | 'musickit.credentials_refused' | 'musickit.unexpected';
      if (err.kind === 'grant_dead') {
        req.log.warn({ service: SERVICE, kind: err.kind }, 'Apple Music refused the Music User Token');
        words = 'musickit.token_refused';
      } else if (err.kind === 'bad_config') {
        req.log.error({ service: SERVICE, msg: err.message }, 'Apple Music configuration problem');
        words = 'musickit.credentials_refused';
      } else {
        req.log.warn({ service: SERVICE, kind: err.kind, msg: err.message }, 'Apple Music sign-in could not be completed');
        words = 'musickit.unexpected';
      }
      return sendError(req, reply, new DropdayError('PROVIDER_ERROR').say(words), back);
    }
    if (added) trackEscapeCompleted(req, pending.escape, campaign.id, SERVICE);
    hooks.onPresave?.();
    const redirect = `/p/${presaveId}`;
    reply.header('Cache-Control', 'no-store');
    if (wantsJson(req)) return reply.code(200).send({ redirect });
    return reply.redirect(redirect, 303);
  });
}

function appleMusic(ctx: AppContext): AppleMusicAdapter {
  const adapter = ctx.providers.get(SERVICE);
  if (!(adapter instanceof AppleMusicAdapter)) throw new DropdayError('SERVICE_NOT_CONFIGURED');
  return adapter;
}

/**
 * The page's CSP: the global policy plus MusicKit JS's origin for scripts and requests, the API's
 * origin for requests, and (for Apple's own CDN) Apple's hosts MusicKit uses for sign-in.
 */
export function musicKitCsp(nonce: string, cfg: Pick<AppleMusicConfig, 'musicKitJsUrl' | 'apiBaseUrl'>): string {
  const js = new URL(cfg.musicKitJsUrl).origin;
  const api = new URL(cfg.apiBaseUrl).origin;
  const apple = /^https:\/\/([a-z0-9-]+\.)*apple\.com$/.test(js) ? ['https://*.apple.com'] : [];
  const list = (...items: string[]) => [...new Set(items)].join(' ');
  return [
    "default-src 'self'",
    "img-src 'self' https: data:",
    `style-src 'nonce-${nonce}'`,
    `script-src ${list(`'nonce-${nonce}'`, js, ...apple)}`,
    `connect-src ${list("'self'", js, api, ...apple)}`,
    `frame-src ${list(js, ...apple)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function wantsJson(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('application/json') || (req.headers['content-type'] ?? '').includes('application/json');
}
