import type { FastifyInstance } from 'fastify';
import { isValidTimeZone } from '../../campaigns/timing.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { reminderIcs } from '../../reach/calendar/reminder.js';
import type { PageEntry } from '../page-cache.js';
import type { PublicPageData } from '../public-page-data.js';
import { PUBLIC_PAGE_ROUTE } from '../request-log.js';
import { fanLang, settleLang } from '../fan-lang.js';

/**
 * GET /{slug}/reminder.ics: the release as a calendar entry (reach/calendar/reminder.ts), for
 * anyone, without a contact. Made from the page cache's campaign (no database read), in the
 * language the campaign pages would choose (`?lang=`, Accept-Language) and, for local timing,
 * in the fan's zone when `?tz=` names one (else a floating time: the fan's own midnight).
 */
export function calendarRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  activeCampaign: (slug: string) => Promise<PageEntry<PublicPageData>>,
): void {
  app.get<{ Params: { slug: string }; Querystring: { tz?: unknown } }>('/:slug/reminder.ics', PUBLIC_PAGE_ROUTE, async (req, reply) => {
    const entry = await activeCampaign(req.params.slug);
    const { campaign, languages } = entry.data;
    const lang = settleLang(req, fanLang(req, languages));
    const tzRaw = typeof req.query.tz === 'string' ? req.query.tz.trim() : '';
    const shown = tzRaw.slice(0, 64);
    if (tzRaw && !isValidTimeZone(tzRaw)) throw new DropdayError('INVALID_TIMEZONE').say('errors.unknown_timezone', { zone: shown });
    // A zone matters only where the release is each fan's own wall time.
    const zone = campaign.timing === 'local' && tzRaw ? tzRaw : null;
    const body = reminderIcs({ campaign, lang, zone, publicUrl: ctx.config.publicUrl });
    return reply
      .type('text/calendar; charset=utf-8')
      .header('Content-Disposition', `inline; filename="${campaign.slug}.ics"`)
      .header('Cache-Control', 'public, max-age=300')
      .header('Vary', 'Accept-Language')
      .send(body);
  });
}
