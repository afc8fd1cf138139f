import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getCampaignById } from '../../campaigns/repo.js';
import { redirectUriFor } from '../../config.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { describeRefusal, offersReminder } from '../../oauth/refusals.js';
import { consumeState } from '../../oauth/states.js';
import { isServiceId } from '../../providers/services.js';
import { ProviderError } from '../../providers/types.js';
import { challengeS256 } from '../../util/pkce.js';
import { trackRequest } from '../../analytics/index.js';
import { ERROR_CODE_HEADER, sendError } from '../errors.js';
import { refusalPage } from '../views/refusal-page.js';
import { isolate, t, type Lang, type MessageKey } from '../../i18n/index.js';
import { serviceName } from '../../providers/services.js';
import type { Campaign } from '../../campaigns/repo.js';
import { ALL_LANGUAGES, fanLang, settleLang } from '../fan-lang.js';
import { trackEscapeCompleted } from '../inapp/escape.js';
import { beginConnect, bindingCookie, connectTarget, noReferrer, requestFacts, storePresave, str, type ConnectQuery } from './connect.js';

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
  app.get<{ Params: { service: string }; Querystring: ConnectQuery }>('/connect/:service', async (req, reply) => {
    const { service } = req.params;
    if (!isServiceId(service)) throw new DropdayError('SERVICE_UNKNOWN');
    const adapter = ctx.providers.get(service);
    const { campaign, timezone, lang, escape } = await connectTarget(ctx, req, service);

    trackRequest(req, { event: 'service_click', campaignId: campaign.id, service });
    const { state, verifier } = await beginConnect(ctx, req, reply, { service, campaignId: campaign.id, timezone, lang, escape });
    const url = adapter.authorizationUrl({
      state,
      codeChallenge: challengeS256(verifier),
      redirectUri: redirectUriFor(ctx.config, service),
      scopes: adapter.scopesFor({ followArtist: campaign.follow_artist }),
    });
    return reply.header('Cache-Control', 'no-store').redirect(url, 302);
  });

  app.get<{ Params: { service: string }; Querystring: CallbackQuery }>('/callback/:service', noReferrer, async (req, reply) => {
    const { service } = req.params;
    if (!isServiceId(service)) throw new DropdayError('SERVICE_UNKNOWN');
    const q = req.query;
    // The state is checked first: it proves this browser started this round trip with this service.
    const pending = await consumeState(ctx, { state: str(q.state), service, browserBinding: bindingCookie(req) }, ctx.now());
    const lang = settleLang(req, fanLang(req, ALL_LANGUAGES, pending.lang));
    const adapter = ctx.providers.get(service);
    const campaign = await getCampaignById(ctx.db, pending.campaignId);
    const back = `/${campaign.slug}`;
    const error = str(q.error) ?? str(q.error_reason);
    if (error !== undefined) {
      const refusal = describeRefusal(error);
      if (refusal.denied) return fail(req, reply, new DropdayError('ACCESS_DENIED'), back);
      // The operator needs the service's words; the fan gets plain ones (refusals.ts).
      req.log.warn(
        { service, error: error.slice(0, 80), description: str(q.error_description)?.slice(0, 300) },
        'the service refused the authorization',
      );
      if (offersReminder(refusal.words)) {
        return offerReminder(req, reply, {
          status: 400,
          publicUrl: ctx.config.publicUrl,
          campaign,
          service,
          lang,
          zone: pending.timezone,
          title: 'errors.title_invalid',
          words: refusal.words,
        });
      }
      return fail(req, reply, new DropdayError('PROVIDER_REFUSED').say(refusal.words), back);
    }
    const code = str(q.code);
    if (!code || code.length > 2048) return fail(req, reply, new DropdayError('VALIDATION').say('errors.no_code'), back);
    if (campaign.status !== 'active') throw new DropdayError('CAMPAIGN_ARCHIVED');

    let presaveId: string;
    let added: boolean;
    try {
      const tokens = await adapter.exchangeCode(code, pending.verifier, redirectUriFor(ctx.config, service));
      const account = await adapter.currentAccount(tokens.accessToken);
      ({ publicId: presaveId, added } = await storePresave(ctx, { campaign, service, account, tokens, pending, fan: requestFacts(req) }));
    } catch (err) {
      if (err instanceof ProviderError) {
        req.log.warn({ service, kind: err.kind, msg: err.message }, 'authorization could not be completed');
        // Not on a Development Mode app's allow-list: the fan can do nothing about it on the
        // service, so they are offered the reminder rather than "start again".
        if (err.details.refusal === 'not_allow_listed') {
          return offerReminder(req, reply, {
            status: 403,
            publicUrl: ctx.config.publicUrl,
            campaign,
            service,
            lang,
            zone: pending.timezone,
            title: 'refusals.not_allow_listed_title',
            words: 'refusals.not_allow_listed',
          });
        }
        // The service's own words (status codes and all) are logged above; the fan reads what to do.
        const words = err.kind === 'grant_dead' ? 'errors.grant_dead' : 'errors.provider_error_moment';
        return fail(req, reply, new DropdayError('PROVIDER_ERROR').say(words), back);
      }
      throw err;
    }
    trackRequest(req, { event: 'authorization', campaignId: campaign.id, service });
    // The escape's "completed" counts pre-saves it brought, not the same fan signing in again.
    if (added) trackEscapeCompleted(req, pending.escape, campaign.id, service);
    hooks.onPresave?.();
    return reply.header('Cache-Control', 'no-store').redirect(`/p/${presaveId}`, 303);
  });
}

/** The refusal page that offers the reminder and the calendar (web/views/refusal-page.ts). */
function offerReminder(
  req: FastifyRequest,
  reply: FastifyReply,
  o: {
    status: number;
    publicUrl: string;
    campaign: Campaign;
    service: string;
    lang: Lang;
    zone: string | null;
    title: MessageKey;
    words: MessageKey;
  },
) {
  const name = isolate(o.lang, serviceName(o.service));
  return reply
    .code(o.status)
    .type('text/html; charset=utf-8')
    .header('Cache-Control', 'no-store')
    .header(ERROR_CODE_HEADER, new DropdayError('PROVIDER_REFUSED').fullCode)
    .send(
      refusalPage({
        nonce: req.cspNonce,
        lang: o.lang,
        campaign: o.campaign,
        service: o.service,
        title: t(o.lang, o.title, { service: name }),
        message: t(o.lang, o.words, { service: name }),
        publicUrl: o.publicUrl,
        zone: o.zone,
      }).value,
    );
}

function fail(req: FastifyRequest, reply: FastifyReply, err: DropdayError, back: string) {
  return sendError(req, reply, err, back);
}
