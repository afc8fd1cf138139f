import { DateTime } from 'luxon';
import type { Campaign } from '../../../campaigns/repo.js';
import { isValidTimeZone, parseReleaseAt, releaseWindow } from '../../../campaigns/timing.js';
import { RELEASE_TYPES, type ReleaseType } from '../../../campaigns/validate.js';
import { many, one, parseLanguages, type FormValues } from '../../../editor/form.js';
import { LINK_SERVICES, linkUrlProblem, type ServiceId } from '../../../providers/services.js';
import type { ListenLink } from '../../../smartlink/links.js';
import { escapeHtml } from '../../html.js';
import { campaignPage } from '../campaign-page.js';
import { matchLang } from '../../../i18n/index.js';

/**
 * The live preview: the public campaign page for the form's current values, never saved. Values
 * that are not valid yet fall back to something displayable (the form shows the problems).
 */
export function previewCampaign(v: FormValues, o: { now: number; enabled: readonly string[]; current: Campaign | null }): Campaign {
  const cur = o.current;
  const zone = isValidTimeZone(one(v.timezone)) ? one(v.timezone) : (cur?.release_timezone ?? 'UTC');
  const timing = one(v.timing) === 'global' ? 'global' : 'local';
  const fallback = DateTime.fromMillis(o.now + 21 * 86_400_000, { zone })
    .startOf('day')
    .toFormat("yyyy-MM-dd'T'HH:mm:ss");
  const local = parseReleaseAt(one(v.releaseAt), zone) ?? cur?.release_local ?? fallback;
  const window = releaseWindow(local, zone, timing);
  const type = one(v.type) as ReleaseType;
  const services = many(v.services).filter((s): s is ServiceId => o.enabled.includes(s));
  return {
    id: cur?.id ?? 0,
    slug: one(v.slug).trim().toLowerCase() || cur?.slug || 'preview',
    artist_name: one(v.artist).trim().slice(0, 200) || 'Artist name',
    title: one(v.title).trim().slice(0, 200) || 'Release title',
    release_type: RELEASE_TYPES.includes(type) ? type : 'single',
    artwork_url: one(v.removeArtwork) === 'on' ? null : (cur?.artwork_url ?? null),
    upc: null,
    isrcs: [],
    release_local: local,
    release_timezone: zone,
    timing,
    first_release_at: window.firstReleaseAt,
    last_release_at: window.lastReleaseAt,
    services,
    follow_artist: one(v.followArtist) === 'on',
    status: 'active',
    is_demo: false,
    created_at: cur?.created_at ?? o.now,
    updated_at: o.now,
  };
}

export function previewLinks(v: FormValues): ListenLink[] {
  return Object.keys(LINK_SERVICES).flatMap((service) => {
    const url = one(v[`link_${service}`]).trim();
    return url && !linkUrlProblem(service, url) ? [{ service, url }] : [];
  });
}

export function previewHtml(
  v: FormValues,
  o: { now: number; enabled: readonly string[]; current: Campaign | null; nonce: string },
): string {
  const campaign = previewCampaign(v, o);
  const lang = matchLang(parseLanguages(one(v.languages)).languages[0]) ?? 'en';
  const theme = { accent: one(v.themeAccent), background: one(v.themeBackground) };
  const page = campaignPage({
    campaign,
    nonce: o.nonce,
    now: o.now,
    offered: campaign.services,
    listen: previewLinks(v),
    lang,
    theme,
  }).value;
  const banner = `<style nonce="${escapeHtml(o.nonce)}">.preview-banner{position:sticky;top:0;z-index:1;margin:0;padding:.35rem;text-align:center;font:600 .8rem system-ui,sans-serif;background:#f59e0b;color:#111}</style>`;
  const script = `<script nonce="${escapeHtml(o.nonce)}">${PREVIEW_SCRIPT}</script>`;
  return page
    .replace('</head>', `${banner}</head>`)
    .replace('<body>', '<body><p class="preview-banner">Preview — not saved</p>')
    .replace('</body>', `${script}</body>`);
}

/**
 * Shows the artwork the editor has chosen but not uploaded. The preview is sandboxed without
 * allow-same-origin, so the editor cannot reach into it; it posts the file, and only a message from
 * the framing editor is taken.
 */
const PREVIEW_SCRIPT = `(() => {
  let url = null;
  addEventListener('message', (e) => {
    const file = e.source === parent && e.data && e.data.artwork;
    const el = document.querySelector('.art');
    if (!(file instanceof Blob) || !file.type.startsWith('image/') || !el) return;
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(file);
    const img = document.createElement('img');
    img.className = 'art';
    img.alt = 'Artwork preview';
    img.src = url;
    el.replaceWith(img);
  });
})();`;
