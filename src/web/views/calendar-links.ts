import type { Lang } from '../../i18n/index.js';
import { t } from '../../i18n/index.js';
import { googleCalendarUrl, type CalendarCampaign } from '../../reach/calendar/reminder.js';
import { html, type SafeHtml } from '../html.js';

/**
 * "Put it in your calendar": the .ics file and Google Calendar's template link (reach/calendar).
 * On the campaign page (one cached rendering for every visitor) no zone is known: the page's
 * script adds the browser's `tz` to the links marked `data-tz-link`; the receipt page knows the
 * fan's zone and writes it in.
 */
export function calendarLinks(o: { campaign: CalendarCampaign; lang: Lang; publicUrl: string; zone?: string | null }): SafeHtml {
  const c = o.campaign;
  const zone = c.timing === 'local' ? (o.zone ?? null) : null;
  const ics = `/${c.slug}/reminder.ics?lang=${encodeURIComponent(o.lang)}${zone ? `&tz=${encodeURIComponent(zone)}` : ''}`;
  const google = googleCalendarUrl({ campaign: c, lang: o.lang, zone, publicUrl: o.publicUrl });
  return html`<section class="calendar" id="calendar" aria-labelledby="calendar-heading">
    <h2 id="calendar-heading">${t(o.lang, 'calendar.heading')}</h2>
    <p class="muted">${t(o.lang, 'calendar.note')}</p>
    <p>
      <a class="btn" href="${ics}" data-calendar="ics"${c.timing === 'local' && !zone ? html` data-tz-link` : ''} type="text/calendar">${t(o.lang, 'calendar.add_ics')}</a>
      <a class="btn" href="${google}" data-calendar="google" rel="noopener noreferrer" target="_blank">${t(o.lang, 'calendar.add_google')}</a>
    </p>
  </section>`;
}
