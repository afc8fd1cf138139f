import type { FastifyReply, FastifyRequest } from 'fastify';
import { findCampaignBySlug, type Campaign } from '../../campaigns/repo.js';
import { isValidTimeZone } from '../../campaigns/timing.js';
import { isValidSlug } from '../../campaigns/validate.js';
import type { AppContext } from '../../context.js';
import { reserve, throttleKey, type ThrottleScope } from '../../accounts/throttle.js';
import { DropdayError, RetryLaterError } from '../../errors.js';
import { upsertGrant } from '../../grants/repo.js';
import { createState, STATE_TTL_MS, type PendingAuthorization } from '../../oauth/states.js';
import { recordPresave } from '../../presaves/repo.js';
import { conversionsOnPresave } from '../../conversions/on-presave.js';
import { presaveCreated } from '../../webhooks/emit.js';
import type { ServiceId } from '../../providers/services.js';
import type { Account, TokenSet } from '../../providers/types.js';
import { PREFERRED_SERVICE_COOKIE } from '../../smartlink/links.js';
import { randomToken } from '../../util/random.js';
import { localeOf } from '../request-info.js';
import { ALL_LANGUAGES, fanLang, settleLang } from '../fan-lang.js';
import type { Lang } from '../../i18n/index.js';
import { escapeIds } from '../inapp/escape.js';
import { attributionCookieName, liveAttribution } from '../../growth/referrals/attribution.js';
import type { FanFacts } from '../../growth/referrals/fan-keys.js';
import { referralsOnPresave } from '../../growth/referrals/on-presave.js';
import { reachKeys } from '../../reach/keys.js';

/**
 * What /connect/{service} (oauth.ts) and /connect/apple-music (apple-music.ts) share: the campaign
 * and time zone checks, and the single-use state bound to the browser by one cookie for every service.
 */

/** Cookie binding a connect round trip to the browser that started it. */
const BIND_COOKIE = 'dropday_oauth';
const BIND_COOKIE_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;
/**
 * A random id for this browser, kept a year: only its keyed hash is stored (a referral's
 * browser key), so "the same browser" can be recognised without knowing anything about it.
 */
export const FAN_COOKIE = 'dropday_fan';

export interface ConnectQuery {
  campaign?: string;
  tz?: string;
  /** The campaign page's language (a hidden field of its forms), carried to the receipt page. */
  lang?: string;
  /** The escape id when the fan comes from the "Open in your browser" step (web/inapp/escape.ts). */
  esc?: string;
}

/**
 * Route options for the callbacks: every answer, errors included, sends no Referer onwards (an
 * OAuth callback's address carries its code and state).
 */
export const noReferrer = {
  onRequest: async (_req: FastifyRequest, reply: FastifyReply) => void reply.header('Referrer-Policy', 'no-referrer'),
};

/** The browser binding from the cookie, when it has the shape we set. */
export function bindingCookie(req: FastifyRequest): string | undefined {
  const v = req.cookies[BIND_COOKIE];
  return v && BIND_COOKIE_SHAPE.test(v) ? v : undefined;
}

/**
 * The active campaign offering `service` that the query names, and the fan's time zone. Each
 * start is counted per client IP (before any look-up) and per campaign, a minute at a time
 * (CONNECT_RATE_PER_IP / _PER_CAMPAIGN): beyond that the fan gets a 429 page with Retry-After.
 */
export async function connectTarget(
  ctx: AppContext,
  req: FastifyRequest<{ Querystring: ConnectQuery }>,
  service: ServiceId,
): Promise<{ campaign: Campaign; timezone: string; lang: Lang; escape: string | null }> {
  const query = req.query;
  // The page's own language comes back in its form; errors from here on read in it too.
  const lang = settleLang(req, fanLang(req, ALL_LANGUAGES));
  const { perIp, perCampaign } = ctx.config.connectRate;
  await takeConnectSlot(ctx, 'connect-ip', req.ip, perIp, 'errors.rate_connect_ip');
  const slug = typeof query.campaign === 'string' ? query.campaign.toLowerCase() : '';
  const campaign = isValidSlug(slug) ? await findCampaignBySlug(ctx.db, slug) : null;
  if (!campaign) throw new DropdayError('CAMPAIGN_NOT_FOUND');
  await takeConnectSlot(ctx, 'connect-campaign', String(campaign.id), perCampaign, 'errors.rate_connect_campaign');
  if (campaign.status !== 'active') throw new DropdayError('CAMPAIGN_ARCHIVED');
  if (!campaign.services.includes(service)) {
    throw new DropdayError('SERVICE_NOT_OFFERED').say('errors.service_not_offered_named', { title: campaign.title });
  }
  const tzRaw = typeof query.tz === 'string' ? query.tz.trim() : '';
  // Without JavaScript the page sends no zone: the campaign's own zone is the honest fallback.
  const timezone = tzRaw || campaign.release_timezone;
  if (!isValidTimeZone(timezone)) throw new DropdayError('INVALID_TIMEZONE').say('errors.unknown_timezone', { zone: tzRaw.slice(0, 64) });
  return { campaign, timezone, lang, escape: escapeIds(ctx).verify(campaign.id, query.esc, ctx.now()) };
}

async function takeConnectSlot(
  ctx: AppContext,
  scope: ThrottleScope,
  value: string,
  max: number,
  words: 'errors.rate_connect_ip' | 'errors.rate_connect_campaign',
): Promise<void> {
  const slot = await reserve(ctx.db, scope, throttleKey(scope, value), ctx.now(), { windowMs: 60_000, max });
  if (!slot.ok) {
    const seconds = Math.max(1, Math.ceil(slot.waitMs / 1000));
    throw new RetryLaterError('RATE_LIMITED', slot.waitMs).say(words, { seconds });
  }
}

/**
 * Stores the single-use state for this browser (binding it by cookie, SameSite=Lax, on /callback)
 * and remembers the fan's preferred service.
 */
export async function beginConnect(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  p: { service: ServiceId; campaignId: number; timezone: string; lang: Lang; escape?: string | null },
): Promise<{ state: string; verifier: string }> {
  const binding = bindingCookie(req) ?? randomToken(32);
  // First touch: the referral link this browser came through for this campaign, while its window is open.
  const referral = liveAttribution(reachKeys(ctx), p.campaignId, req.cookies[attributionCookieName(p.campaignId)], ctx.now());
  const created = await createState(
    ctx,
    {
      service: p.service,
      campaignId: p.campaignId,
      browserBinding: binding,
      timezone: p.timezone,
      locale: localeOf(req),
      lang: p.lang,
      escape: p.escape,
      referral,
    },
    ctx.now(),
  );
  if (!fanCookie(req)) {
    reply.setCookie(FAN_COOKIE, randomToken(24), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.config.publicUrl.startsWith('https:'),
      maxAge: 365 * 86_400,
    });
  }
  reply.setCookie(PREFERRED_SERVICE_COOKIE, p.service, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86_400 });
  reply.setCookie(BIND_COOKIE, binding, {
    path: '/callback',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https:'),
    maxAge: STATE_TTL_MS / 1000,
  });
  return created;
}

/**
 * Stores the fan's grant and the pre-save together (one transaction), once the service has
 * answered with tokens and an account. Returns the pre-save's public id, and whether the fan had
 * no standing pre-save on the service before (a second sign-in by the same fan adds nothing).
 */
export async function storePresave(
  ctx: AppContext,
  p: {
    campaign: Campaign;
    service: ServiceId;
    account: Account;
    tokens: TokenSet;
    pending: PendingAuthorization;
    /** The fan's country where the service reports it; otherwise the locale's region. */
    market?: string | null;
    /** The request's facts a referral is compared on (growth/referrals/fan-keys.ts), from {@link requestFacts}. */
    fan: Omit<FanFacts, 'timezone'>;
  },
): Promise<{ publicId: string; added: boolean }> {
  const now = ctx.now();
  return ctx.db.transaction().execute(async (trx) => {
    const grantId = await upsertGrant({ ...ctx, db: trx }, p.service, p.account, p.tokens, now);
    const { row, added } = await recordPresave(
      trx,
      {
        campaign: p.campaign,
        grantId,
        service: p.service,
        accountId: p.account.accountId,
        timezone: p.pending.timezone,
        locale: p.pending.locale,
        lang: p.pending.lang,
        ...(p.market !== undefined ? { market: p.market } : {}),
      },
      now,
    );
    // The fan's own share link, and the referral this pre-save came through (growth/referrals).
    await referralsOnPresave(
      trx,
      reachKeys(ctx),
      ctx.config.growth.referrals,
      {
        campaignId: p.campaign.id,
        presaveId: Number(row.id),
        added,
        service: p.service,
        accountId: p.account.accountId,
        fan: { ...p.fan, timezone: p.pending.timezone },
        referral: p.pending.referral,
      },
      now,
    );
    // The pre-save as a lead to the artist's ad platforms, when this browser allowed it (conversions/).
    await conversionsOnPresave(
      { ...ctx, db: trx },
      { campaignId: p.campaign.id, slug: p.campaign.slug, publicId: row.public_id, fan: p.fan },
    );
    // Signed webhooks (docs/webhooks.md): `presave.created`, in this transaction.
    if (added) await presaveCreated(trx, p.campaign, { ...row, id: Number(row.id) }, now);
    return { publicId: row.public_id, added };
  });
}

function fanCookie(req: FastifyRequest): string | undefined {
  const v = req.cookies[FAN_COOKIE];
  return v && BIND_COOKIE_SHAPE.test(v) ? v : undefined;
}

/** What {@link storePresave} compares a referral on, from the callback's request (same browser as the connect). */
export function requestFacts(req: FastifyRequest): Omit<FanFacts, 'timezone'> {
  return {
    userAgent: req.headers['user-agent'],
    acceptLanguage: req.headers['accept-language'],
    ip: req.ip,
    browser: fanCookie(req),
  };
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
