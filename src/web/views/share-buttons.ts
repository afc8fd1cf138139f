import type { Campaign } from '../../campaigns/repo.js';
import { matchLang, t, type Lang } from '../../i18n/index.js';
import { campaignLink } from '../../social/campaign-link.js';
import { html, raw, type SafeHtml } from '../html.js';
import { networkMark, type ShareNetwork } from './service-mark.js';

/**
 * "Share" on the campaign and thank-you pages. Every link is the campaign page with
 * `utm_source=<network>&utm_medium=social` — never the page it is on (a receipt's address is the
 * fan's capability). Without JavaScript: plain links to each network's own share address, and the
 * link in a field to copy by hand. With it (SHARE_SCRIPT): the system share sheet where the
 * browser has the Web Share API (the network links are then hidden), and a copy button that
 * falls back to the field when the clipboard refuses.
 */
const NETWORKS: { id: ShareNetwork; name: string; href: (url: string, text: string) => string }[] = [
  { id: 'whatsapp', name: 'WhatsApp', href: (url, text) => `https://wa.me/?text=${encodeURIComponent(`${text} ${url}`)}` },
  {
    id: 'x',
    name: 'X',
    href: (url, text) => `https://x.com/intent/post?text=${encodeURIComponent(text)}&url=${encodeURIComponent(url)}`,
  },
  { id: 'facebook', name: 'Facebook', href: (url) => `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}` },
  {
    id: 'telegram',
    name: 'Telegram',
    href: (url, text) => `https://t.me/share/url?url=${encodeURIComponent(url)}&text=${encodeURIComponent(text)}`,
  },
];

/**
 * Kept as plain strings, so the cached campaign page can allow them by hash (security.ts hashedCsp).
 * The network buttons sit two to a row where "Share on WhatsApp" fits in half the card, one to a row
 * on the smallest phones (320 px), so no network's name is cut in two.
 */
export const SHARE_STYLE = `[hidden]{display:none!important}
.btn .mark{vertical-align:-.25em;margin-inline-end:.5em}
.share{margin-top:1.5rem;text-align:center}.share h2{margin:0 0 .5rem}
.share-links{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:0 .5rem}
.share .btn{margin:.25rem 0;background:#2a2a35;color:#fff}
.share-fallback{display:block;margin-top:.5rem;font-size:.9rem;text-align:start}
.share-fallback input{display:block;width:100%;margin-top:.25rem;padding:.5rem;border-radius:.5rem;border:1px solid #444;background:#0f0f14;color:#f4f4f6;font:inherit}`;

export const SHARE_SCRIPT = `(function () {
  var box = document.querySelector('[data-share]');
  if (!box) return;
  var native = box.querySelector('[data-share-native]');
  var links = box.querySelector('[data-share-links]');
  var copy = box.querySelector('[data-share-copy]');
  var fallback = box.querySelector('[data-share-fallback]');
  var status = box.querySelector('[data-share-status]');
  if (native && typeof navigator.share === 'function') {
    native.hidden = false;
    if (links) links.hidden = true;
    native.addEventListener('click', function () {
      navigator.share({ title: native.getAttribute('data-title'), text: native.getAttribute('data-text'), url: native.getAttribute('data-url') })
        .catch(function () {});
    });
  }
  if (copy && fallback && navigator.clipboard && navigator.clipboard.writeText) {
    copy.hidden = false;
    fallback.hidden = true;
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(copy.getAttribute('data-url')).then(function () {
        status.textContent = copy.getAttribute('data-done');
      }, function () {
        fallback.hidden = false;
        var input = fallback.querySelector('input');
        input.focus();
        input.select();
      });
    });
  }
})();`;

export interface ShareOptions {
  campaign: Pick<Campaign, 'slug' | 'title' | 'artist_name' | 'last_release_at'>;
  publicUrl: string;
  /** The page's language (a tag; English when it is not one of ours). */
  lang: string;
  now: number;
  /** null on the cached campaign page (allowed by hash instead). */
  nonce: string | null;
  /**
   * The address to share instead of the campaign page: a fan's personal referral link
   * (`/{slug}?r=<code>`, growth/referrals). Copied as it is; the network buttons add their UTM tags.
   */
  url?: string;
}

/** The section without its style and script, per campaign text, release state and language: the thank-you page is rendered per request. */
const bodies = new Map<string, SafeHtml>();
const MAX_BODIES = 2000;

function shareBody(o: Omit<ShareOptions, 'nonce'>, lang: Lang, released: boolean): SafeHtml {
  const c = o.campaign;
  // A personal link is one fan's: rendered for their page, not kept.
  const key = o.url === undefined ? JSON.stringify([o.publicUrl, c.slug, c.title, c.artist_name, lang, released]) : null;
  const hit = key === null ? undefined : bodies.get(key);
  if (hit) return hit;
  const personal = o.url;
  const link =
    personal === undefined
      ? (source: string) => campaignLink(o.publicUrl, c.slug, { source, medium: 'social' })
      : (source: string) => (source === 'copy' ? personal : tagged(personal, c.slug, source));
  const text = t(lang, released ? 'share.text_listen' : 'share.text_presave', { title: c.title, artist: c.artist_name });
  const copyUrl = link('copy');
  const body = html`<h2 id="share-heading">${t(lang, 'share.heading')}</h2>
    <button class="btn" type="button" data-share-native hidden data-url="${link('share')}" data-title="${c.title} — ${c.artist_name}" data-text="${text}">${t(lang, 'share.share')}</button>
    <div class="share-links" data-share-links>
      ${NETWORKS.map(
        (n) =>
          html`<a class="btn share-${n.id}" href="${n.href(link(n.id), text)}" target="_blank" rel="noopener noreferrer">${networkMark(n.id)}${t(lang, 'share.share_on', { network: n.name })}</a>`,
      )}
    </div>
    <button class="btn" type="button" data-share-copy hidden data-url="${copyUrl}" data-done="${t(lang, 'share.copied')}">${t(lang, 'share.copy_link')}</button>
    <p class="muted" data-share-status role="status"></p>
    <label class="share-fallback" data-share-fallback>${t(lang, 'share.copy_fallback')}<input type="text" dir="ltr" readonly value="${copyUrl}" /></label>`;
  if (key === null) return body;
  if (bodies.size >= MAX_BODIES) bodies.clear();
  bodies.set(key, body);
  return body;
}

/** A given link with the UTM tags of {@link campaignLink} added (its own query, e.g. `r=`, kept). */
function tagged(url: string, slug: string, source: string): string {
  const u = new URL(url);
  u.searchParams.set('utm_source', source);
  u.searchParams.set('utm_medium', 'social');
  u.searchParams.set('utm_campaign', slug);
  return u.href;
}

export function shareSection(o: ShareOptions): SafeHtml {
  const nonce = o.nonce === null ? '' : html` nonce="${o.nonce}"`;
  const body = shareBody(o, matchLang(o.lang) ?? 'en', o.now >= o.campaign.last_release_at);
  return html`<section class="share" data-share aria-labelledby="share-heading">
    <style${nonce}>${raw(SHARE_STYLE)}</style>
    ${body}
    <script${nonce}>${raw(SHARE_SCRIPT)}</script>
  </section>`;
}
