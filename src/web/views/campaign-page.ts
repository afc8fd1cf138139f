import type { Campaign } from '../../campaigns/repo.js';
import { serviceName, type ServiceId } from '../../providers/services.js';
import { html, raw, type SafeHtml } from '../html.js';
import { CAMPAIGN_SCRIPT } from './campaign-script.js';
import type { ListenLink } from '../../smartlink/links.js';
import { inlineStyle, layout } from './layout.js';
import { hashedCsp } from '../security.js';
import { socialCardUrl } from '../../editor/artwork.js';
import type { Theme } from './theme.js';
import { clientWords, formatInstant, formatWallTime, isolate, t, type Lang } from '../../i18n/index.js';
import { serviceMark } from './service-mark.js';
import { SHARE_SCRIPT, SHARE_STYLE, shareSection } from './share-buttons.js';
import { escapePath, needsRealBrowser } from '../inapp/escape.js';
import type { RescueOptions } from '../inapp/page-variant.js';
import { rescueNotices } from './escape-step.js';
import { calendarLinks } from './calendar-links.js';
import { remindOnButtons, remindSection } from './remind-form.js';
import { PUSH_SCRIPT, PUSH_STYLE, pushOptIn } from './push-opt-in.js';
import { PIXEL_CONNECT_HOSTS, PIXEL_SCRIPT_HOSTS, TRACKING_SCRIPT, TRACKING_STYLE, trackingPrompt } from './tracking-prompt.js';
import type { ConversionPlatform } from '../../db/schema-conversions.js';

/**
 * The words a fan agrees to: what will be saved, on which service, when, whether the artist is
 * followed, that nothing else happens, and that access is deleted after (i18n/messages/consent).
 */
export function consentText(c: Campaign, service: string, lang: Lang): string {
  const wall = formatWallTime(c.release_local, lang);
  return t(lang, 'consent.text', {
    title: isolate(lang, c.title),
    artist: isolate(lang, c.artist_name),
    service: isolate(lang, serviceName(service)),
    timing: c.timing === 'local' ? 'local' : 'global',
    midnight: wall.midnight ? 'yes' : 'no',
    time: wall.time,
    date: wall.date,
    when: formatInstant(c.first_release_at, c.release_timezone, lang),
    follow: c.follow_artist ? 'yes' : 'no',
  });
}

/** The countdown script's words and locale (the script is one constant: campaign-script.ts). */
function countdownWords(lang: Lang): string {
  return JSON.stringify({
    locale: lang,
    days: clientWords(lang, 'campaign.countdown_days'),
    left: clientWords(lang, 'campaign.countdown_left'),
    out: clientWords(lang, 'campaign.countdown_out'),
  });
}

/** Before release, the page counts down and fills in the fan's time zone; after it, no script. */
function pageScript(c: Campaign, now: number): string | null {
  return now >= c.last_release_at ? null : CAMPAIGN_SCRIPT;
}

export interface CampaignPageOptions {
  campaign: Campaign;
  /** null: no nonce attributes; the page is sent with {@link cachedCampaignPage}'s hashed CSP. */
  nonce: string | null;
  now: number;
  offered: ServiceId[];
  listen: ListenLink[];
  lang: Lang;
  theme?: Theme;
  /** PUBLIC_URL: link previews need the social card's absolute address. */
  publicUrl?: string;
  /** The in-app browser rescue (web/inapp/page-variant.ts); absent: the page as always. */
  inapp?: RescueOptions['inapp'];
  chosen?: RescueOptions['chosen'];
  esc?: RescueOptions['esc'];
  /**
   * The reminder (reach/contacts): the services a reminder can link to, those among them with no
   * pre-save here ("Remind me on …" buttons), and the one `?remind=` chose. Absent: no form.
   */
  remind?: { services: readonly string[]; remindOn: readonly string[]; chosen: string | null };
  /** The VAPID public key: before release, the reminder offers "Notify me in this browser" (views/push-opt-in.ts). */
  pushKey?: string;
  /** The referral leaderboard is public (growth/settings.ts): a link to /{slug}/leaderboard. */
  leaderboard?: boolean;
  /** A contest runs (growth/contests): a line with its prize and a link to its official rules. */
  contest?: { prize: string } | null;
  /** The artist's ad pixels (conversions/settings.ts): the page asks the fan first (views/tracking-prompt.ts). */
  pixels?: Partial<Record<ConversionPlatform, string>>;
}

const hasPixels = (o: Pick<CampaignPageOptions, 'pixels'>): boolean => !!o.pixels && Object.keys(o.pixels).length > 0;

/** Web push is offered beside the reminder form (before the release is out everywhere), when the server has a key. */
function offersPush(o: Pick<CampaignPageOptions, 'campaign' | 'now' | 'pushKey' | 'remind'>): boolean {
  return !!o.pushKey && !!o.remind && o.now < o.campaign.last_release_at;
}

export function campaignPage(o: CampaignPageOptions): SafeHtml {
  const c = o.campaign;
  const lang = o.lang;
  const released = o.now >= c.last_release_at;
  const partlyOut = !released && o.now >= c.first_release_at && c.timing === 'local';
  const wall = formatWallTime(c.release_local, lang);
  const when =
    c.timing === 'local'
      ? t(lang, 'campaign.out_local', { date: wall.date, time: wall.time })
      : t(lang, 'campaign.out_at', { when: formatInstant(c.first_release_at, c.release_timezone, lang) });
  const name = (s: string) => isolate(lang, serviceName(s));

  const presave = html` <p class="countdown" id="countdown" role="timer" data-release="${JSON.stringify({ timing: c.timing, local: c.release_local, at: c.first_release_at })}" data-words="${countdownWords(lang)}">${when}</p>
    ${partlyOut ? html`<p class="muted">${t(lang, 'campaign.partly_out')}</p>` : ''}${rescueNotices(o)}
    ${o.offered.map(
      (s) =>
        html`<form method="get" action="${o.inapp && needsRealBrowser(s) ? escapePath(c.slug, s) : `/connect/${s}`}">
          <input type="hidden" name="campaign" value="${c.slug}" />
          <input type="hidden" name="lang" value="${lang}" />
          <input type="hidden" name="tz" value="" data-tz />${o.esc ? html`<input type="hidden" name="esc" value="${o.esc}" />` : ''}
          <button class="btn svc-${s}" type="submit"${o.chosen === s ? raw(' autofocus') : ''}>${serviceMark(s)}${t(lang, 'campaign.presave_on', { service: name(s) })}</button>
        </form>`,
    )}
    ${o.remind ? remindOnButtons({ slug: c.slug, lang, services: o.remind.remindOn }) : ''}
    ${o.offered.map((s) => html`<p class="consent" data-consent="${s}">${t(lang, 'consent.for_service', { service: name(s), text: consentText(c, s, lang) })}</p>`)}
    ${o.publicUrl ? calendarLinks({ campaign: c, lang, publicUrl: o.publicUrl }) : ''}
    ${
      // Next to the service buttons, not instead of them. No CSRF token: the page's bytes are the
      // same for every visitor; the route checks Sec-Fetch-Site / Origin (web/routes/contacts.ts).
      o.remind
        ? remindSection({
            campaign: c,
            lang,
            action: `/${c.slug}/remind`,
            page: 'campaign',
            services: o.remind.services,
            values: { service: o.remind.chosen },
            push: offersPush(o)
              ? pushOptIn({ slug: c.slug, title: c.title, artist: c.artist_name, lang, vapidKey: o.pushKey!, nonce: o.nonce })
              : '',
          })
        : ''
    }`;

  const listenButtons = o.listen.map(
    (l) =>
      html`<a class="btn svc-${l.service}" href="/${c.slug}/listen/${l.service}" rel="noopener">${serviceMark(l.service)}${t(lang, 'campaign.listen_on', { service: name(l.service) })}</a>`,
  );
  const listen = html`<p class="countdown">${t(lang, 'campaign.out_now')}</p>
    ${o.listen.length ? listenButtons : html`<p class="muted">${t(lang, 'campaign.links_preparing')}</p>`}`;
  // Store turn: out in early time zones, still to come in later ones — offer both.
  const body = released
    ? listen
    : partlyOut && o.listen.length
      ? html`${presave}<h2>${t(lang, 'campaign.already_out_here')}</h2>${listenButtons}`
      : presave;

  return layout({
    title: `${c.title} — ${c.artist_name}`,
    nonce: o.nonce,
    lang,
    description: t(lang, 'campaign.description', {
      type: c.release_type,
      artist: isolate(lang, c.artist_name),
      released: released ? 'yes' : 'no',
    }),
    image: o.publicUrl ? socialCardUrl(c.artwork_url, o.publicUrl) : c.artwork_url,
    ...(o.theme ? { theme: o.theme } : {}),
    body: html`<article class="card">
      ${hasPixels(o) ? trackingPrompt({ slug: c.slug, campaignId: c.id, artist: c.artist_name, lang, pixels: o.pixels!, nonce: o.nonce }) : ''}
      ${c.is_demo ? html`<p><span class="badge">${t(lang, 'campaign.demo_badge')}</span> <span class="muted">${t(lang, 'campaign.demo_note')}</span></p>` : ''}
      ${c.artwork_url ? html`<img class="art" src="${c.artwork_url}" alt="${t(lang, 'campaign.artwork_alt', { title: isolate(lang, c.title) })}" />` : html`<div class="art art-placeholder" aria-hidden="true">${[...c.title][0]?.toUpperCase() ?? ''}</div>`}
      <h1>${c.title}</h1>
      <h2><bdi>${c.artist_name}</bdi> · ${t(lang, 'campaign.release_type', { type: c.release_type })}</h2>
      ${body}
      ${o.contest ? html`<p data-contest="line">${t(lang, 'contest.campaign_line', { prize: isolate(lang, o.contest.prize) })} — <a href="/${c.slug}/contest?lang=${lang}">${t(lang, 'contest.rules_link')}</a></p>` : ''}
      ${o.publicUrl ? shareSection({ campaign: c, publicUrl: o.publicUrl, lang: o.lang, now: o.now, nonce: o.nonce }) : ''}
      ${o.leaderboard ? html`<p><a href="/${c.slug}/leaderboard?lang=${lang}" data-leaderboard-link>${t(lang, 'referral.leaderboard_link')}</a></p>` : ''}
    </article>`,
    script: pageScript(c, o.now) === null ? undefined : raw(CAMPAIGN_SCRIPT),
  });
}

/**
 * The page as every visitor with the same language, release state and service order gets it: no
 * nonce, and a CSP allowing exactly its inline style and script by hash, so the bytes can be kept
 * and sent again (web/page-cache.ts).
 */
export function cachedCampaignPage(o: Omit<CampaignPageOptions, 'nonce'>): { html: string; csp: string } {
  const script = pageScript(o.campaign, o.now);
  return {
    html: campaignPage({ ...o, nonce: null }).value,
    csp: hashedCsp({
      styles: [
        inlineStyle(o.theme),
        ...(o.publicUrl ? [SHARE_STYLE] : []),
        ...(offersPush(o) ? [PUSH_STYLE] : []),
        ...(hasPixels(o) ? [TRACKING_STYLE] : []),
      ],
      scripts: [
        ...(script === null ? [] : [script]),
        ...(o.publicUrl ? [SHARE_SCRIPT] : []),
        ...(offersPush(o) ? [PUSH_SCRIPT] : []),
        ...(hasPixels(o) ? [TRACKING_SCRIPT] : []),
      ],
      ...(hasPixels(o) ? { scriptHosts: PIXEL_SCRIPT_HOSTS, connectHosts: PIXEL_CONNECT_HOSTS } : {}),
    }),
  };
}
