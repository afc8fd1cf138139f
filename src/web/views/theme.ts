import { colourProblem } from '../../editor/form.js';

/** A campaign's own colours (from the editor). */
export interface Theme {
  accent: string | null;
  background: string | null;
}

/**
 * The theme as CSS rules, the same for the public page and the editor's preview. Only valid
 * #rrggbb values get in, so nothing a user typed can break out of the style element.
 */
export function themeCss(t: Theme | undefined): string {
  const accent = t?.accent?.trim() ?? '';
  const bg = t?.background?.trim() ?? '';
  return [
    accent && !colourProblem(accent) ? `:root{--accent:${accent}}.btn{background:${accent};color:#fff}` : '',
    bg && !colourProblem(bg) ? `:root{--bg:${bg}}body{background:${bg}}` : '',
  ].join('');
}
