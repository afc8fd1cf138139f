import { describe, expect, it } from 'vitest';
import { contrastRatio, contrastRules, THEME_DEFAULTS, themeContrastWarnings } from '../src/editor/contrast.js';
import { serviceColors } from '../src/providers/services.js';
import { serviceButtonColours } from '../src/web/views/a11y-style.js';
import { CONTRAST_CHECK_SCRIPT } from '../src/web/views/editor/contrast-check.js';
import { inlineStyle } from '../src/web/views/layout.js';

/** WCAG 2 contrast maths, the theme warnings the editor shows, and the fan pages' own colours. */
describe('contrast', () => {
  it('WCAG ratios of known pairs, in either order', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBe(21);
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2); // the lightest grey that passes on white
    expect(contrastRatio('#8b5cf6', '#8b5cf6')).toBe(1);
    expect(contrastRatio('#FFFFFF', '#0000ff')).toBeCloseTo(8.59, 2);
  });

  it('the default theme gives no warning; empty or malformed colours count as the defaults', () => {
    expect(themeContrastWarnings(null, null)).toEqual([]);
    expect(themeContrastWarnings('', '')).toEqual([]);
    expect(themeContrastWarnings('not a colour', '#12')).toEqual([]);
    expect(themeContrastWarnings(THEME_DEFAULTS.accent, THEME_DEFAULTS.background)).toEqual([]);
  });

  it('warns for each pair below 4.5:1, naming the pair and the ratio (rounded down: 4.48 shows as 4.4)', () => {
    expect(themeContrastWarnings('#777777', '#fdf6e3')).toEqual([
      { pair: 'text-on-background', ratio: 1, message: 'Text on your background: 1.0:1 — below 4.5:1, hard to read' },
      { pair: 'button-on-accent', ratio: 4.4, message: 'Button text on your button colour: 4.4:1 — below 4.5:1, hard to read' },
    ]);
    expect(themeContrastWarnings(' #1e3a8a ', '#777777')).toEqual([
      { pair: 'text-on-background', ratio: 4, message: 'Text on your background: 4.0:1 — below 4.5:1, hard to read' },
    ]);
    expect(themeContrastWarnings('#767676', '#000000')).toEqual([]);
  });

  it('the rules the browser runs are the same function: its source, evaluated alone, gives the same answers', () => {
    // What CONTRAST_CHECK_SCRIPT does with it: no closure over this module can be relied on.
    const alone = new Function(`return (${contrastRules.toString()})();`)() as ReturnType<typeof contrastRules>;
    expect(alone.warnings('#777777', '#fdf6e3')).toEqual(themeContrastWarnings('#777777', '#fdf6e3'));
    expect(alone.ratio('#777777', '#ffffff')).toBe(contrastRatio('#777777', '#ffffff'));
    expect(() => new Function(CONTRAST_CHECK_SCRIPT.value)).not.toThrow();
  });

  it('the colours the rules assume are the fan page’s own', () => {
    const css = inlineStyle();
    const last = (name: string) => [...css.matchAll(new RegExp(`${name}:(#[0-9a-f]{6})`, 'g'))].at(-1)?.[1];
    expect({ fg: last('--fg'), bg: last('--bg'), accent: last('--accent') }).toEqual({
      fg: THEME_DEFAULTS.pageText,
      bg: THEME_DEFAULTS.background,
      accent: THEME_DEFAULTS.accent,
    });
    expect(css).toMatch(/\.btn\{[^}]*color:#fff[;}]/);
  });

  it('every service button’s text reaches 4.5:1 on its colour', () => {
    const weak = Object.entries(serviceColors()).flatMap(([id, brand]) => {
      const c = serviceButtonColours(id, brand);
      const r = contrastRatio(c.text, c.background);
      return r >= 4.5 ? [] : [`${id}: ${c.text} on ${c.background} is ${r.toFixed(2)}:1`];
    });
    expect(weak).toEqual([]);
    // Brand reds keep white lettering on a darker red; bright colours get dark text.
    expect(serviceButtonColours('apple-music', '#fa243c')).toEqual({ background: '#e0102b', text: '#ffffff' });
    expect(serviceButtonColours('spotify', '#1db954')).toEqual({ background: '#1db954', text: '#111111' });
    expect(serviceButtonColours('sandbox', '#6d28d9')).toEqual({ background: '#6d28d9', text: '#ffffff' });
    // A mid-tone where neither reads is lightened under dark text.
    expect(serviceButtonColours('new', '#808080').text).toBe('#111111');
  });
});
