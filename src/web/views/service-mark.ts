import fs from 'node:fs';
import { createRequire } from 'node:module';
import { html, type SafeHtml } from '../html.js';

/**
 * Brand marks from simple-icons (CC0 paths, each checked against the brand's guidelines by that
 * project), drawn in the button's text colour (white on the brand colour, or near-black where
 * a11y-style.ts needs dark text there: the one-colour marks the guidelines allow), at the text's size and never stretched (square
 * viewBox, equal width and height). Decorative: `aria-hidden`, the name stays in the text. A
 * service simple-icons lacks gets no mark rather than someone else's.
 */
const SERVICE_ICONS: Record<string, string> = {
  spotify: 'spotify',
  'apple-music': 'applemusic',
  tidal: 'tidal',
  deezer: 'deezer',
  'youtube-music': 'youtubemusic',
  soundcloud: 'soundcloud',
  audiomack: 'audiomack',
  bandcamp: 'bandcamp',
  beatport: 'beatport',
};

/** The networks of the share buttons. */
const NETWORK_ICONS = { whatsapp: 'whatsapp', x: 'x', facebook: 'facebook', telegram: 'telegram' } as const;
export type ShareNetwork = keyof typeof NETWORK_ICONS;

const paths = new Map<string, string | null>();
const require = createRequire(import.meta.url);

/** The icon's path data, read once per process from the package's own SVG file. */
function iconPath(slug: string): string | null {
  let d = paths.get(slug);
  if (d === undefined) {
    try {
      const svg = fs.readFileSync(require.resolve(`simple-icons/icons/${slug}.svg`), 'utf8');
      d = /<path d="([^"]+)"/.exec(svg)?.[1] ?? null;
    } catch {
      d = null;
    }
    paths.set(slug, d);
  }
  return d;
}

function mark(slug: string | undefined): SafeHtml | '' {
  const d = slug ? iconPath(slug) : null;
  if (!d) return '';
  return html`<svg class="mark" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" d="${d}" /></svg>`;
}

/** The service's mark for its button, or nothing when simple-icons has none. */
export function serviceMark(service: string): SafeHtml | '' {
  return mark(Object.hasOwn(SERVICE_ICONS, service) ? SERVICE_ICONS[service] : undefined);
}

export function networkMark(network: ShareNetwork): SafeHtml | '' {
  return mark(NETWORK_ICONS[network]);
}
