import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findCampaignBySlug, getCampaignById } from '../../campaigns/repo.js';
import { isValidTimeZone } from '../../campaigns/timing.js';
import { isValidSlug } from '../../campaigns/validate.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { upsertGrant } from '../../grants/repo.js';
import { consumeState, createState, STATE_TTL_MS } from '../../oauth/states.js';
import { recordPresave } from '../../presaves/repo.js';
import { AppleMusicAdapter } from '../../providers/apple-music/adapter.js';
import type { AppleMusicConfig } from '../../providers/apple-music/config.js';
import { ProviderError } from '../../providers/types.js';
import { PREFERRED_SERVICE_COOKIE } from '../../smartlink/links.js';
import { randomToken } from '../../util/random.js';
import { sendError } from '../errors.js';
import { langOf, localeOf } from '../request-info.js';
import { musicKitPage } from '../views/musickit-page.js';

const SERVICE = 'apple-music';
/** The same cookie, path and checks as web/routes/oauth.ts, so one browser binding serves every service. */
const BIND_COOKIE = 'dropday_oauth';
const BIND_COOKIE_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

interface ConnectQuery {
  campaign?: string;
  tz?: string;
}
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
  const secureCookies = ctx.config.publicUrl.startsWith('https:');

  app.get<{ Querystring: ConnectQuery }>('/connect/apple-music', async (req, reply) => {
    const adapter = appleMusic(ctx);
    const slug = typeof req.query.campaign === 'string' ? req.query.campaign.toLowerCase() : '';
    const campaign = isValidSlug(slug) ? await findCampaignBySlug(ctx.db, slug) : null;
    if (!campaign) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    if (campaign.status !== 'active') throw new DropdayError('CAMPAIGN_ARCHIVED');
    if (!campaign.services.includes(SERVICE)) {
      throw new DropdayError('SERVICE_NOT_OFFERED', `“${campaign.title}” is not offered on this service.`);
    }
    const tzRaw = typeof req.query.tz === 'string' ? req.query.tz.trim() : '';
    const timezone = tzRaw || campaign.release_timezone;
    if (!isValidTimeZone(timezone)) throw new DropdayError('INVALID_TIMEZONE', `“${tzRaw.slice(0, 64)}” is not a time zone we know.`);

    let developerToken: string;
    try {
      developerToken = adapter.developerToken();
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      req.log.error({ service: SERVICE, msg: err.message }, 'Apple Music developer token cannot be signed');
      throw new DropdayError(
        'PROVIDER_ERROR',
        'Apple Music is not set up correctly on this Dropday server, so pre-saving there does not work right now. Nothing was saved.',
      );
    }

    const binding = bindingCookie(req) ?? randomToken(32);
    const { state } = await createState(
      ctx,
      { service: SERVICE, campaignId: campaign.id, browserBinding: binding, timezone, locale: localeOf(req) },
      ctx.now(),
    );
    reply.setCookie(PREFERRED_SERVICE_COOKIE, SERVICE, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86_400 });
    reply.setCookie(BIND_COOKIE, binding, {
      path: '/callback',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      maxAge: STATE_TTL_MS / 1000,
    });
    const page = musicKitPage({
      campaign,
      nonce: req.cspNonce,
      lang: langOf(req),
      musicKitJsUrl: adapter.config.musicKitJsUrl,
      developerToken,
      appName: adapter.config.appName,
      state,
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .header('Content-Security-Policy', musicKitCsp(req.cspNonce, adapter.config))
      .send(page.value);
  });

  app.post<{ Body: CallbackBody }>('/callback/apple-music', async (req, reply) => {
    const body = (req.body ?? {}) as CallbackBody;
    // The state is checked first: it proves this browser started this pre-save on this page.
    const pending = await consumeState(ctx, { state: str(body.state), service: SERVICE, browserBinding: bindingCookie(req) }, ctx.now());
    const adapter = appleMusic(ctx);
    const campaign = await getCampaignById(ctx.db, pending.campaignId);
    const back = `/${campaign.slug}`;
    const musicUserToken = str(body.musicUserToken);
    if (!musicUserToken || musicUserToken.length > 4096 || /[\s\u0000-\u001f]/.test(musicUserToken)) {
      return sendError(
        req,
        reply,
        new DropdayError('VALIDATION', 'Apple Music did not give an authorization, so nothing was saved. Please start again.'),
        back,
      );
    }
    if (campaign.status !== 'active') throw new DropdayError('CAMPAIGN_ARCHIVED');

    let presaveId: string;
    try {
      const account = await adapter.currentAccount(musicUserToken);
      // The storefront Apple reports (not the one the page posted) is the fan's market.
      const market = (await adapter.storefrontOf(musicUserToken))?.toUpperCase() ?? null;
      const tokens = adapter.tokensFor(musicUserToken);
      const now = ctx.now();
      presaveId = await ctx.db.transaction().execute(async (trx) => {
        const tctx = { ...ctx, db: trx };
        const grantId = await upsertGrant(tctx, SERVICE, account, tokens, now);
        const p = await recordPresave(
          trx,
          {
            campaign,
            grantId,
            service: SERVICE,
            accountId: account.accountId,
            timezone: pending.timezone,
            locale: pending.locale,
            market,
          },
          now,
        );
        return p.public_id;
      });
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      let message: string;
      if (err.kind === 'grant_dead') {
        req.log.warn({ service: SERVICE, kind: err.kind }, 'Apple Music refused the Music User Token');
        message =
          'Apple Music did not accept this sign-in (the authorization was revoked or has expired). Nothing was saved; please start again.';
      } else if (err.kind === 'bad_config') {
        req.log.error({ service: SERVICE, msg: err.message }, 'Apple Music configuration problem');
        message =
          'Apple Music is not set up correctly on this Dropday server (its developer credentials were refused). Nothing was saved; the operator needs to fix this.';
      } else {
        req.log.warn({ service: SERVICE, kind: err.kind, msg: err.message }, 'Apple Music sign-in could not be completed');
        message = `Apple Music did not answer as expected (${err.message}). Nothing was saved; please try again.`;
      }
      return sendError(req, reply, new DropdayError('PROVIDER_ERROR', message), back);
    }
    hooks.onPresave?.();
    const redirect = `/p/${presaveId}`;
    reply.header('Cache-Control', 'no-store');
    if (wantsJson(req)) return reply.code(200).send({ redirect });
    return reply.redirect(redirect, 303);
  });

  function bindingCookie(req: FastifyRequest): string | undefined {
    const v = req.cookies[BIND_COOKIE];
    return v && BIND_COOKIE_SHAPE.test(v) ? v : undefined;
  }
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

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
