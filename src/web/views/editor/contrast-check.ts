import { contrastRules, themeContrastWarnings } from '../../../editor/contrast.js';
import { html, raw, type SafeHtml } from '../../html.js';

/**
 * The editor's contrast warnings for the theme colours: rendered by the server with the page (so
 * they are there after saving, and without JavaScript), and kept up to date while the artist types
 * by CONTRAST_CHECK_SCRIPT, which runs the same rules (editor/contrast.ts) in the browser. Only the
 * button colour carries text (the background frames the page's card).
 */
export function contrastWarnings(accent: string): SafeHtml {
  return html`<div id="contrast-warnings" aria-live="polite">
    ${themeContrastWarnings(accent).map((w) => html`<p class="warn" data-contrast="${w.pair}">${w.message}</p>`)}
  </div>`;
}

/** Nonce'd with the editor's other scripts; `contrastRules` is self-contained, so its source runs here as it is. */
export const CONTRAST_CHECK_SCRIPT = raw(`(() => {
  const rules = (${contrastRules.toString()})();
  const box = document.getElementById('contrast-warnings');
  const accent = document.getElementById('f-themeAccent');
  if (!box || !accent) return;
  const show = () => {
    box.replaceChildren(...rules.warnings(accent.value).map((w) => {
      const p = document.createElement('p');
      p.className = 'warn';
      p.dataset.contrast = w.pair;
      p.textContent = w.message;
      return p;
    }));
  };
  accent.addEventListener('input', show);
})();`);
