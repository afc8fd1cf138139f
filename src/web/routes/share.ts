import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { DropdayError, RetryLaterError, ValidationError } from '../../errors.js';
import { chooseLang } from '../../i18n/index.js';
import { DEFAULT_QR_CHANNEL, isQrChannel, QR_CHANNEL_IDS, qrTarget, type QrChannel } from '../../qr/channels.js';
import { parseQrSize, qrPng, qrSvg } from '../../qr/render.js';
import { renderProofCard } from '../../social/proof-card.js';
import { proofCounts } from '../../social/proof-counts.js';
import { MissBudget, RenderBusy, RenderCache } from '../../util/render-cache.js';
import type { PageEntry } from '../page-cache.js';
import type { PublicPageData } from '../public-page-data.js';

/** The social-proof card is made again at most this often per campaign and language (its count lags by up to this). */
export const PROOF_CARD_REFRESH_MS = 5 * 60_000;

/** New images one client may have made per minute (cached ones are free). */
export const RENDERS_PER_CLIENT_PER_MINUTE = 30;

type ShareQuery = { Params: { slug: string }; Querystring: Record<string, string | undefined> };

/**
 * QR codes of the campaign link (`/<slug>/qr.svg`, `/<slug>/qr.png?size=`, `?channel=`) and the
 * social-proof card (`/<slug>/card/social.png?lang=`). Anyone may ask for them, so every image
 * comes from a bounded cache and is made behind the shared render gate (util/render-cache.ts);
 * the campaign is looked up in the public pages' cache like the page itself (unknown: 404,
 * archived: 410).
 */
export function shareRoutes(app: FastifyInstance, ctx: AppContext): void {
  const qrCache = new RenderCache({ maxEntries: 500, maxBytes: 32 * 1024 * 1024, maxAgeMs: Infinity, now: ctx.now });
  const cardCache = new RenderCache({ maxEntries: 200, maxBytes: 64 * 1024 * 1024, maxAgeMs: PROOF_CARD_REFRESH_MS, now: ctx.now });
  const budget = new MissBudget(RENDERS_PER_CLIENT_PER_MINUTE, 60_000);

  async function activeEntry(slug: string): Promise<PageEntry<PublicPageData>> {
    const entry = await app.publicPages.get(slug.toLowerCase());
    if (!entry) throw new DropdayError('CAMPAIGN_NOT_FOUND');
    if (entry.data.campaign.status === 'archived') throw new DropdayError('CAMPAIGN_ARCHIVED');
    return entry;
  }

  function channelOf(v: string | undefined): QrChannel {
    if (v === undefined || v === '') return DEFAULT_QR_CHANNEL;
    if (!isQrChannel(v)) throw new ValidationError({ channel: `must be one of ${QR_CHANNEL_IDS.join(', ')}` });
    return v;
  }

  async function cached(req: FastifyRequest, cache: RenderCache, key: string, render: () => Promise<Buffer>): Promise<Buffer> {
    const spend = () => {
      const r = budget.take(req.ip, ctx.now());
      if (!r.ok) throw new RetryLaterError('RATE_LIMITED', r.retryAfterMs, 'Too many different images asked for. Please wait a minute.');
    };
    try {
      return await cache.get(key, render, spend);
    } catch (err) {
      if (err instanceof RenderBusy) throw new RetryLaterError('BUSY', 2_000);
      throw err;
    }
  }

  function sendImage(reply: FastifyReply, type: string, body: Buffer, maxAgeSeconds: number): FastifyReply {
    return reply.type(type).header('Cache-Control', `public, max-age=${maxAgeSeconds}`).send(body);
  }

  app.get<ShareQuery>('/:slug/qr.svg', async (req, reply) => {
    const channel = channelOf(req.query.channel);
    const slug = (await activeEntry(req.params.slug)).data.campaign.slug;
    const target = qrTarget(ctx.config.publicUrl, slug, channel);
    const body = await cached(req, qrCache, `svg ${target}`, () => qrSvg(target));
    return sendImage(reply, 'image/svg+xml', body, 86_400);
  });

  app.get<ShareQuery>('/:slug/qr.png', async (req, reply) => {
    const channel = channelOf(req.query.channel);
    const size = parseQrSize(req.query.size);
    if ('problem' in size) throw new ValidationError({ size: size.problem });
    const slug = (await activeEntry(req.params.slug)).data.campaign.slug;
    const target = qrTarget(ctx.config.publicUrl, slug, channel);
    const body = await cached(req, qrCache, `png ${size.size} ${target}`, () => qrPng(target, size.size));
    return sendImage(reply, 'image/png', body, 86_400);
  });

  app.get<ShareQuery>('/:slug/card/social.png', async (req, reply) => {
    const { data } = await activeEntry(req.params.slug);
    const lang = chooseLang({ query: req.query.lang, acceptLanguage: req.headers['accept-language'], campaignLanguages: data.languages });
    const body = await cached(req, cardCache, `${data.campaign.id} ${lang}`, async () =>
      renderProofCard({
        campaign: data.campaign,
        counts: await proofCounts(ctx.db, data.campaign.id),
        lang,
        accent: data.theme.accent,
        dataDir: ctx.config.dataDir,
      }),
    );
    // Its words follow Accept-Language when `?lang=` names none of the campaign's: a shared cache
    // (a CDN) must not hand one visitor's language to the next.
    return sendImage(reply.header('Vary', 'Accept-Language'), 'image/png', body, PROOF_CARD_REFRESH_MS / 1000);
  });
}
