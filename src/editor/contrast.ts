/**
 * WCAG 2 contrast of a campaign's theme: the button text on its accent, against 4.5:1 (WCAG AA for
 * normal text). A warning for the artist, never a refusal. The background colour carries no text:
 * the page's words sit on its card (layout.ts `.card`, `--card`), which a theme does not change, so
 * any background reads the same (test/editor-contrast-browser.test.ts measures it with axe).
 */

export interface ContrastWarning {
  pair: 'button-on-accent';
  /** Rounded down to one decimal, so a ratio shown as 4.5 is never really below 4.5. */
  ratio: number;
  message: string;
}

/**
 * The rules, written self-contained (no imports, nothing from outside the function, plain
 * JavaScript once types are erased) because the editor's live check runs this very function in
 * the browser: views/editor/contrast-check.ts puts its source in the editor's script. One rule,
 * not two copies that could drift apart.
 */
export function contrastRules() {
  // The colours the public page uses (views/layout.ts and a11y-style.ts; test/contrast.test.ts keeps them in step).
  const BUTTON_TEXT = '#ffffff';
  const DEFAULT_ACCENT = '#7c3aed';
  const MIN = 4.5;
  const channel = (v: number): number => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  const luminance = (hex: string): number => {
    const n = parseInt(hex.slice(1), 16);
    return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  };
  /** The contrast ratio of two #rrggbb colours, from 1 to 21 (WCAG 2 relative luminance). */
  const ratio = (a: string, b: string): number => {
    const [x, y] = [luminance(a), luminance(b)];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  const valid = (c: string | null | undefined): string | null => (c && /^#[0-9a-fA-F]{6}$/.test(c.trim()) ? c.trim() : null);
  /**
   * The theme's pairs below 4.5:1. An accent that is empty or not #rrggbb counts as the page's
   * default, as on the page itself (views/theme.ts ignores it).
   */
  const warnings = (accent: string | null | undefined): ContrastWarning[] => {
    const pairs: { pair: ContrastWarning['pair']; label: string; fg: string; bg: string }[] = [
      { pair: 'button-on-accent', label: 'Button text on your button colour', fg: BUTTON_TEXT, bg: valid(accent) ?? DEFAULT_ACCENT },
    ];
    const out: ContrastWarning[] = [];
    for (const p of pairs) {
      const r = Math.floor(ratio(p.fg, p.bg) * 10) / 10;
      if (r < MIN) out.push({ pair: p.pair, ratio: r, message: `${p.label}: ${r.toFixed(1)}:1 — below 4.5:1, hard to read` });
    }
    return out;
  };
  return { ratio, warnings, BUTTON_TEXT, DEFAULT_ACCENT };
}

const rules = contrastRules();
export const contrastRatio = rules.ratio;
export const themeContrastWarnings = rules.warnings;
export const THEME_DEFAULTS = {
  buttonText: rules.BUTTON_TEXT,
  accent: rules.DEFAULT_ACCENT,
};
