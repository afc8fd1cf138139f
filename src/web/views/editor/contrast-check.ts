import { contrastRules, themeContrastWarnings } from '../../../editor/contrast.js';
import { html, raw, type SafeHtml } from '../../html.js';

/**
 * The editor's contrast warnings for the theme colours: rendered by the server with the page (so
 * they are there after saving, and without JavaScript), and kept up to date while the artist types
 * by CONTRAST_CHECK_SCRIPT, which runs the same rules (editor/contrast.ts) in the browser.
 */
export function contrastWarnings(accent: string, background: string): SafeHtml {
  return html`<div id="contrast-warnings" aria-live="polite">
    ${themeContrastWarnings(accent, background).map((w) => html`<p class="warn" data-contrast="${w.pair}">${w.message}</p>`)}
  </div>`;
}

/** Nonce'd with the editor's other scripts; `contrastRules` is self-contained, so its source runs here as it is. */
export const CONTRAST_CHECK_SCRIPT = raw(`(() => {
  const rules = (${contrastRules.toString()})();
  const box = document.getElementById('contrast-warnings');
  const accent = document.getElementById('f-themeAccent');
  const background = document.getElementById('f-themeBackground');
  if (!box || !accent || !background) return;
  const show = () => {
    box.replaceChildren(...rules.warnings(accent.value, background.value).map((w) => {
      const p = document.createElement('p');
      p.className = 'warn';
      p.dataset.contrast = w.pair;
      p.textContent = w.message;
      return p;
    }));
  };
  accent.addEventListener('input', show);
  background.addEventListener('input', show);
})();`);
