import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { reserve } from '../../accounts/throttle.js';
import type { AppContext } from '../../context.js';
import { DropdayError, RetryLaterError } from '../../errors.js';
import { attributionCookieName, attributionValue, liveAttribution } from '../../growth/referrals/attribution.js';
import { isReferralCode } from '../../growth/referrals/code.js';
import { codeOfPresave, countVisit, findCode, setDisplayName } from '../../growth/referrals/codes.js';
import { checkDisplayName, DISPLAY_NAME_MAX } from '../../growth/referrals/display-name.js';
import { referralStandings } from '../../growth/referrals/state.js';
import { leaderboardPublic } from '../../growth/settings.js';
import { matchLang } from '../../i18n/index.js';
import { findPresaveByPublicId } from '../../presaves/repo.js';
import { reachKeys } from '../../reach/keys.js';
import { sendError } from '../errors.js';
import { fanLang, queryLang, settleLang } from '../fan-lang.js';
import { formFields } from '../form-fields.js';
import { campaignIdKey } from '../public-page-data.js';
import { PUBLIC_PAGE_ROUTE } from '../request-log.js';
import { leaderboardPage, type LeaderboardRow } from '../views/leaderboard-page.js';
import type { GrowthScope } from './growth.js';

/** First-touch visits counted and leaderboard names set, per client IP and minute (a stranger can call both). */
const PER_IP_PER_MINUTE = 60;
/** How long a campaign's leaderboard is served from memory (the injected clock). */
const LEADERBOARD_TTL_MS = 5_000;
const LEADERBOARD_SIZE = 50;
/** Leaderboard views per network and minute: far above a person reloading, low enough to stop a scraper. */
const LEADERBOARD_LIMIT = { windowMs: 60_000, max: 120 };

/**
 * A campaign page asked with `?r=<code>` (web/routes/public.ts): when the code is one of this
 * campaign's and the browser holds no live attribution for the campaign, the attribution cookie
 * is set (first touch: an earlier one within its window is kept) and the link's visit counted.
 * Anything else — a malformed or unknown code, a stranger over the per-IP limit — is ignored:
 * the page shows as always.
 */
export async function attributeReferral(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, campaignId: number): Promise<void> {
  const r = (req.query as { r?: unknown }).r;
  if (!isReferralCode(r)) return;
  const keys = reachKeys(ctx);
  const now = ctx.now();
  const name = attributionCookieName(campaignId);
  if (liveAttribution(keys, campaignId, req.cookies[name], now)) return;
  if (!(await findCode(ctx.db, campaignId, r))) return;
  const slot = await reserve(ctx.db, 'referral-ip', keys.hash('network', req.ip), now, { windowMs: 60_000, max: PER_IP_PER_MINUTE });
  if (!slot.ok) return;
  const windowMs = ctx.config.growth.referrals.windowMs;
  reply.setCookie(name, attributionValue(keys, campaignId, r, now + windowMs), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.publicUrl.startsWith('https:'),
    maxAge: Math.floor(windowMs / 1000),
  });
  await countVisit(ctx.db, r);
}

/** The referral routes of the fan: the leaderboard name (from the receipt page) and the public leaderboard. */
export function referralsRoutes(app: FastifyInstance, ctx: AppContext, _scope: GrowthScope): void {
  const boards = new Map<number, { expires: number; open: boolean; rows: LeaderboardRow[] }>();

  async function board(campaignId: number): Promise<{ open: boolean; rows: LeaderboardRow[] }> {
    const now = ctx.now();
    const hit = boards.get(campaignId);
    if (hit && hit.expires > now) return hit;
    const open = await leaderboardPublic(ctx.db, campaignId);
    const rows = open
      ? (await referralStandings(ctx.db, campaignId))
          .filter((s) => s.counted + s.pending > 0)
          .slice(0, LEADERBOARD_SIZE)
          .map((s) => ({ rank: s.rank, name: s.nameHidden ? null : s.displayName, counted: s.counted, pending: s.pending }))
      : [];
    const entry = { expires: now + LEADERBOARD_TTL_MS, open, rows };
    if (boards.size > 1000) boards.clear();
    boards.set(campaignId, entry);
    return entry;
  }

  app.get<{ Params: { slug: string } }>('/:slug/leaderboard', PUBLIC_PAGE_ROUTE, async (req, reply) => {
    const slot = await reserve(ctx.db, 'leaderboard-ip', reachKeys(ctx).hash('network', req.ip), ctx.now(), LEADERBOARD_LIMIT);
    if (!slot.ok) throw new RetryLaterError('RATE_LIMITED', slot.waitMs);
    const entry = await req.server.publicPages.get(req.params.slug.toLowerCase());
    if (!entry) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    settleLang(req, fanLang(req, entry.data.languages));
    if (entry.data.campaign.status === 'archived') throw new DropdayError('CAMPAIGN_ARCHIVED');
    const { open, rows } = await board(entry.campaignId);
    if (!open) throw new DropdayError('NOT_FOUND').say('errors.nothing_here');
    const lang = fanLang(req, entry.data.languages);
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .send(leaderboardPage({ campaign: entry.data.campaign, lang, rows, nonce: req.cspNonce }).value);
  });

  app.post<{ Params: { publicId: string } }>('/p/:publicId/referral-name', async (req, reply) => {
    const f = formFields(req.body);
    const raw = f.display_name;
    if (typeof raw !== 'string') {
      throw new DropdayError('VALIDATION', 'The field "display_name" is missing.', { display_name: 'is missing' });
    }
    const slot = await reserve(ctx.db, 'referral-ip', reachKeys(ctx).hash('network', req.ip), ctx.now(), {
      windowMs: 60_000,
      max: PER_IP_PER_MINUTE,
    });
    if (!slot.ok) throw new RetryLaterError('RATE_LIMITED', slot.waitMs);
    const presave = await findPresaveByPublicId(ctx.db, req.params.publicId);
    if (!presave) throw new DropdayError('PRESAVE_NOT_FOUND');
    const entry = await req.server.publicPages.get(campaignIdKey(presave.campaign_id));
    if (!entry) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    const lang = settleLang(req, fanLang(req, entry.data.languages, presave.lang));
    const code = await codeOfPresave(ctx.db, Number(presave.id));
    const standing = presave.status === 'pending' || presave.status === 'saved';
    if (!code || !standing || !(await leaderboardPublic(ctx.db, presave.campaign_id))) {
      throw new DropdayError('NOT_FOUND').say('errors.nothing_here');
    }
    const asked = matchLang(queryLang(req)) === lang ? lang : undefined;
    const back = `/p/${presave.public_id}${asked ? `?lang=${asked}` : ''}`;
    const checked = checkDisplayName(raw);
    if (!checked.ok) {
      const err =
        checked.problem === 'too_long'
          ? new DropdayError('VALIDATION', `The field "display_name" must be at most ${DISPLAY_NAME_MAX} characters.`, {
              display_name: `at most ${DISPLAY_NAME_MAX} characters`,
            }).say('referral.name_too_long', { max: DISPLAY_NAME_MAX })
          : new DropdayError('VALIDATION', 'The field "display_name" contains control or invisible characters.', {
              display_name: 'no control or invisible characters',
            }).say('referral.name_bad_characters');
      return sendError(req, reply, err, back);
    }
    await setDisplayName(ctx.db, code.code, checked.name);
    boards.delete(presave.campaign_id);
    return reply.redirect(`${back}${asked ? '&' : '?'}done=referral-name#referral`, 303);
  });
}
