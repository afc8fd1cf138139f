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
    expect(themeContrastWarnings(null)).toEqual([]);
    expect(themeContrastWarnings('')).toEqual([]);
    expect(themeContrastWarnings('not a colour')).toEqual([]);
    expect(themeContrastWarnings(THEME_DEFAULTS.accent)).toEqual([]);
  });

  it('warns for a button colour below 4.5:1, naming the pair and the ratio (rounded down: 4.48 shows as 4.4)', () => {
    expect(themeContrastWarnings('#777777')).toEqual([
      { pair: 'button-on-accent', ratio: 4.4, message: 'Button text on your button colour: 4.4:1 — below 4.5:1, hard to read' },
    ]);
    expect(themeContrastWarnings(' #1e3a8a ')).toEqual([]);
    expect(themeContrastWarnings('#767676')).toEqual([]);
  });

  it('the rules the browser runs are the same function: its source, evaluated alone, gives the same answers', () => {
    // What CONTRAST_CHECK_SCRIPT does with it: no closure over this module can be relied on.
    const alone = new Function(`return (${contrastRules.toString()})();`)() as ReturnType<typeof contrastRules>;
    expect(alone.warnings('#777777')).toEqual(themeContrastWarnings('#777777'));
    expect(alone.ratio('#777777', '#ffffff')).toBe(contrastRatio('#777777', '#ffffff'));
    expect(() => new Function(CONTRAST_CHECK_SCRIPT.value)).not.toThrow();
  });

  it('the colours the rules assume are the fan page’s own; a theme’s background never meets the text', () => {
    const css = inlineStyle();
    const last = (name: string) => [...css.matchAll(new RegExp(`${name}:(#[0-9a-f]{6})`, 'g'))].at(-1)?.[1];
    expect(last('--accent')).toBe(THEME_DEFAULTS.accent);
    expect(css).toMatch(/\.btn\{[^}]*color:#fff[;}]/);
    // The words sit on the card, whose colour no theme sets: the background only frames it.
    const themed = inlineStyle({ accent: '#1e3a8a', background: '#fdf6e3' });
    expect(themed).toMatch(/\.card\{background:var\(--card\)/);
    expect(themed.match(/--card:#[0-9a-f]{6}/g)).toEqual(['--card:#1a1a23']);
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
