import { contrastRatio, THEME_DEFAULTS } from '../../editor/contrast.js';
import { serviceColors } from '../../providers/services.js';

/**
 * The fan pages' accessibility rules, appended after layout.ts's style (same specificity, so these
 * win): readable service buttons, a focus ring seen on any background, and no motion for fans who
 * ask for less (docs/accessibility.md).
 */

/** Text on a service's colour must reach WCAG AA (4.5:1) like any other text. */
const MIN_CONTRAST = 4.5;
const LIGHT_TEXT = '#ffffff';
const DARK_TEXT = '#111111';

/**
 * Brand colours whose white text is too faint and whose dark text would look wrong for the brand
 * (reds shown with white lettering): a darker shade of the same red instead.
 */
const DARKER_SHADES: Record<string, string> = {
  'apple-music': '#e0102b',
  'youtube-music': '#cc0000',
  gaana: '#d11a1f',
};

/** A service button's colours: its brand colour (or the darker shade) with white text if that reads, else dark text. */
export function serviceButtonColours(service: string, brand: string): { background: string; text: string } {
  const background = DARKER_SHADES[service] ?? brand;
  if (contrastRatio(LIGHT_TEXT, background) >= MIN_CONTRAST) return { background, text: LIGHT_TEXT };
  if (contrastRatio(DARK_TEXT, background) >= MIN_CONTRAST) return { background, text: DARK_TEXT };
  // Neither reads (a mid-tone): dark text on the brand colour lightened halfway to white.
  return { background: mix(background, '#ffffff', 0.5), text: DARK_TEXT };
}

function mix(a: string, b: string, t: number): string {
  const ch = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  return `#${[0, 1, 2]
    .map((i) =>
      Math.round(ch(a, i) + (ch(b, i) - ch(a, i)) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

export const A11Y_STYLE = [
  // The default button colour: a shade darker than layout.ts's #8b5cf6 (4.2:1), so white text reads (5.7:1).
  `:root{--accent:${THEME_DEFAULTS.accent}}`,
  ...Object.entries(serviceColors()).map(([id, brand]) => {
    const c = serviceButtonColours(id, brand);
    return `.svc-${id}{background:${c.background};color:${c.text}}`;
  }),
  // A two-tone ring (white outline, dark halo) stays visible on any theme's background and on any button.
  'a:focus-visible,button:focus-visible,input:focus-visible,.btn:focus-visible{outline:3px solid #fff;outline-offset:2px;box-shadow:0 0 0 5px #111}',
  // A fan who asks for less motion gets none: no animation, transition or smooth scrolling.
  '@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation-duration:0s!important;animation-delay:0s!important;animation-iteration-count:1!important;transition-duration:0s!important;transition-delay:0s!important;scroll-behavior:auto!important}}',
].join('');
