import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findCampaignBySlug, getCampaignById } from '../../campaigns/repo.js';
import { isValidTimeZone } from '../../campaigns/timing.js';
import { isValidSlug } from '../../campaigns/validate.js';
import { redirectUriFor } from '../../config.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { upsertGrant } from '../../grants/repo.js';
import { consumeState, createState, STATE_TTL_MS } from '../../oauth/states.js';
import { recordPresave } from '../../presaves/repo.js';
import { isServiceId } from '../../providers/services.js';
import { ProviderError } from '../../providers/types.js';
import { challengeS256 } from '../../util/pkce.js';
import { randomToken } from '../../util/random.js';
import { trackRequest } from '../../analytics/index.js';
import { sendError } from '../errors.js';
import { localeOf } from '../request-info.js';
import { PREFERRED_SERVICE_COOKIE } from '../../smartlink/links.js';

/** Cookie binding an OAuth round trip to the browser that started it. */
const BIND_COOKIE = 'dropday_oauth';

interface ConnectQuery {
  campaign?: string;
  tz?: string;
}
interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
  /** Deezer reports a refusal as error_reason=user_denied instead of error=access_denied. */
  error_reason?: string;
}

/**
 * Fan authorization: /connect/{service} starts an Authorization Code + PKCE round trip;
 * /callback/{service} finishes it and records the pre-save. Nothing is stored until the service
 * has answered with tokens and an account, and then grant and pre-save are stored together.
 */
export function oauthRoutes(app: FastifyInstance, ctx: AppContext, hooks: { onPresave?: () => void }): void {
  const secureCookies = ctx.config.publicUrl.startsWith('https:');

  app.get<{ Params: { service: string }; Querystring: ConnectQuery }>('/connect/:service', async (req, reply) => {
    const { service } = req.params;
    if (!isServiceId(service)) throw new DropdayError('SERVICE_UNKNOWN');
    const adapter = ctx.providers.get(service);
    const slug = typeof req.query.campaign === 'string' ? req.query.campaign.toLowerCase() : '';
    const campaign = isValidSlug(slug) ? await findCampaignBySlug(ctx.db, slug) : null;
    if (!campaign) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    if (campaign.status !== 'active') throw new DropdayError('CAMPAIGN_ARCHIVED');
    if (!campaign.services.includes(service)) {
      throw new DropdayError('SERVICE_NOT_OFFERED', `“${campaign.title}” is not offered on this service.`);
    }
    const tzRaw = typeof req.query.tz === 'string' ? req.query.tz.trim() : '';
    // Without JavaScript the page sends no zone: the campaign's own zone is the honest fallback.
    const timezone = tzRaw || campaign.release_timezone;
    if (!isValidTimeZone(timezone)) throw new DropdayError('INVALID_TIMEZONE', `“${tzRaw.slice(0, 64)}” is not a time zone we know.`);

    trackRequest(req, { event: 'service_click', campaignId: campaign.id, service });
    const binding = bindingCookie(req) ?? randomToken(32);
    const now = ctx.now();
    const { state, verifier } = await createState(
      ctx,
      { service, campaignId: campaign.id, browserBinding: binding, timezone, locale: localeOf(req) },
      now,
    );
    reply.setCookie(PREFERRED_SERVICE_COOKIE, service, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86_400 });
    reply.setCookie(BIND_COOKIE, binding, {
      path: '/callback',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      maxAge: STATE_TTL_MS / 1000,
    });
    const url = adapter.authorizationUrl({
      state,
      codeChallenge: challengeS256(verifier),
      redirectUri: redirectUriFor(ctx.config, service),
      scopes: adapter.scopesFor({ followArtist: campaign.follow_artist }),
    });
    return reply.header('Cache-Control', 'no-store').redirect(url, 302);
  });

  app.get<{ Params: { service: string }; Querystring: CallbackQuery }>('/callback/:service', async (req, reply) => {
    const { service } = req.params;
    if (!isServiceId(service)) throw new DropdayError('SERVICE_UNKNOWN');
    const q = req.query;
    // The state is checked first: it proves this browser started this round trip with this service.
    const pending = await consumeState(ctx, { state: str(q.state), service, browserBinding: bindingCookie(req) }, ctx.now());
    const adapter = ctx.providers.get(service);
    const campaign = await getCampaignById(ctx.db, pending.campaignId);
    const back = `/${campaign.slug}`;
    const error = q.error ?? q.error_reason;
    if (error !== undefined) {
      if (error === 'access_denied' || error === 'user_denied') return fail(req, reply, new DropdayError('ACCESS_DENIED'), back);
      return fail(
        req,
        reply,
        new DropdayError('PROVIDER_ERROR', `The streaming service reported an error (${str(error)?.slice(0, 80)}). Nothing was saved.`),
        back,
      );
    }
    const code = str(q.code);
    if (!code || code.length > 2048)
      return fail(req, reply, new DropdayError('VALIDATION', 'The sign-in response has no authorization code. Please start again.'), back);
    if (campaign.status !== 'active') throw new DropdayError('CAMPAIGN_ARCHIVED');

    let presaveId: string;
    try {
      const tokens = await adapter.exchangeCode(code, pending.verifier, redirectUriFor(ctx.config, service));
      const account = await adapter.currentAccount(tokens.accessToken);
      const now = ctx.now();
      presaveId = await ctx.db.transaction().execute(async (trx) => {
        const tctx = { ...ctx, db: trx };
        const grantId = await upsertGrant(tctx, service, account, tokens, now);
        const p = await recordPresave(
          trx,
          { campaign, grantId, service, accountId: account.accountId, timezone: pending.timezone, locale: pending.locale },
          now,
        );
        return p.public_id;
      });
    } catch (err) {
      if (err instanceof ProviderError) {
        req.log.warn({ service, kind: err.kind, msg: err.message }, 'authorization could not be completed');
        const message =
          err.kind === 'grant_dead'
            ? `The streaming service refused this sign-in: ${err.message}. Nothing was saved.`
            : `The streaming service did not answer as expected (${err.message}). Nothing was saved; please try again.`;
        return fail(req, reply, new DropdayError('PROVIDER_ERROR', message), back);
      }
      throw err;
    }
    trackRequest(req, { event: 'authorization', campaignId: campaign.id, service });
    hooks.onPresave?.();
    return reply.header('Cache-Control', 'no-store').redirect(`/p/${presaveId}`, 303);
  });

  function bindingCookie(req: FastifyRequest): string | undefined {
    const v = req.cookies[BIND_COOKIE];
    return v && /^[A-Za-z0-9_-]{20,100}$/.test(v) ? v : undefined;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function fail(req: FastifyRequest, reply: FastifyReply, err: DropdayError, back: string) {
  return sendError(req, reply, err, back);
}
