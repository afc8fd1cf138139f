import type { Campaign } from '../../campaigns/repo.js';
import { describeInstant } from '../../campaigns/timing.js';
import { serviceName, type ServiceId } from '../../providers/services.js';
import { html, raw, type SafeHtml } from '../html.js';
import { CAMPAIGN_SCRIPT } from './campaign-script.js';
import type { ListenLink } from '../../smartlink/links.js';
import { inlineStyle, layout } from './layout.js';
import { hashedCsp } from '../security.js';
import { socialCardUrl } from '../../editor/artwork.js';
import type { Theme } from './theme.js';
import { serviceMark } from './service-mark.js';
import { SHARE_SCRIPT, SHARE_STYLE, shareSection } from './share-buttons.js';
import { escapePath, needsRealBrowser } from '../inapp/escape.js';
import type { RescueOptions } from '../inapp/page-variant.js';
import { rescueNotices } from './escape-step.js';

const TYPE_LABEL: Record<string, string> = { single: 'Single', ep: 'EP', album: 'Album' };

/** The words a fan agrees to: what will be saved, when, and nothing else. */
export function consentText(c: Campaign, service: string): string {
  const time = c.release_local.slice(11, 16);
  const when =
    c.timing === 'local'
      ? `${time === '00:00' ? 'at midnight' : `at ${time}`} your local time on ${c.release_local.slice(0, 10)}, when it is out where you are`
      : `on ${describeInstant(c.first_release_at, c.release_timezone)}`;
  const follow = c.follow_artist ? `, and follow ${c.artist_name}` : '';
  return (
    `By continuing you let Dropday save “${c.title}” by ${c.artist_name} to your ${serviceName(service)} library ` +
    `${when}${follow}. Nothing else: Dropday does not post, read your listening history, or contact you, ` +
    `and deletes its access once the save is done.`
  );
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
  lang: string;
  theme?: Theme;
  /** PUBLIC_URL: link previews need the social card's absolute address. */
  publicUrl?: string;
  /** The in-app browser rescue (web/inapp/page-variant.ts); absent: the page as always. */
  inapp?: RescueOptions['inapp'];
  chosen?: RescueOptions['chosen'];
  esc?: RescueOptions['esc'];
}

export function campaignPage(o: CampaignPageOptions): SafeHtml {
  const c = o.campaign;
  const released = o.now >= c.last_release_at;
  const partlyOut = !released && o.now >= c.first_release_at && c.timing === 'local';
  const when =
    c.timing === 'local'
      ? `Out ${c.release_local.slice(0, 10)} at ${c.release_local.slice(11, 16)}, your local time`
      : `Out ${describeInstant(c.first_release_at, c.release_timezone, o.lang)}`;

  const presave = html` <p class="countdown" id="countdown" role="timer" data-release="${JSON.stringify({ timing: c.timing, local: c.release_local, at: c.first_release_at })}">${when}</p>
    ${partlyOut ? html`<p class="muted">Already out in some countries — pre-save now and it is saved as soon as it is out where you are.</p>` : ''}${rescueNotices(o)}
    ${o.offered.map(
      (s) =>
        html`<form method="get" action="${o.inapp && needsRealBrowser(s) ? escapePath(c.slug, s) : `/connect/${s}`}">
          <input type="hidden" name="campaign" value="${c.slug}" />
          <input type="hidden" name="tz" value="" data-tz />${o.esc ? html`<input type="hidden" name="esc" value="${o.esc}" />` : ''}
          <button class="btn svc-${s}" type="submit"${o.chosen === s ? raw(' autofocus') : ''}>${serviceMark(s)}Pre-save on ${serviceName(s)}</button>
        </form>`,
    )}
    ${o.offered.map((s) => html`<p class="consent" data-consent="${s}">${serviceName(s)}: ${consentText(c, s)}</p>`)}`;

  const listenButtons = o.listen.map(
    (l) =>
      html`<a class="btn svc-${l.service}" href="/${c.slug}/listen/${l.service}" rel="noopener">${serviceMark(l.service)}Listen on ${serviceName(l.service)}</a>`,
  );
  const listen = html`<p class="countdown">Out now</p>
    ${o.listen.length ? listenButtons : html`<p class="muted">Links to the release are being prepared.</p>`}`;
  // Store turn: out in early time zones, still to come in later ones — offer both.
  const body = released
    ? listen
    : partlyOut && o.listen.length
      ? html`${presave}<h2>Already out where you are?</h2>${listenButtons}`
      : presave;

  return layout({
    title: `${c.title} — ${c.artist_name}`,
    nonce: o.nonce,
    lang: o.lang,
    description: `${TYPE_LABEL[c.release_type] ?? ''} by ${c.artist_name}. ${released ? 'Out now.' : 'Pre-save it now.'}`,
    image: o.publicUrl ? socialCardUrl(c.artwork_url, o.publicUrl) : c.artwork_url,
    ...(o.theme ? { theme: o.theme } : {}),
    body: html`<article class="card">
      ${c.is_demo ? html`<p><span class="badge">DEMO</span> <span class="muted">A demo campaign on the built-in Sandbox service.</span></p>` : ''}
      ${c.artwork_url ? html`<img class="art" src="${c.artwork_url}" alt="Artwork for ${c.title}" />` : html`<div class="art art-placeholder" aria-hidden="true">${[...c.title][0]?.toUpperCase() ?? ''}</div>`}
      <h1>${c.title}</h1>
      <h2>${c.artist_name} · ${TYPE_LABEL[c.release_type] ?? c.release_type}</h2>
      ${body}
      ${o.publicUrl ? shareSection({ campaign: c, publicUrl: o.publicUrl, lang: o.lang, now: o.now, nonce: o.nonce }) : ''}
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
      styles: [inlineStyle(o.theme), ...(o.publicUrl ? [SHARE_STYLE] : [])],
      scripts: [...(script === null ? [] : [script]), ...(o.publicUrl ? [SHARE_SCRIPT] : [])],
    }),
  };
}
