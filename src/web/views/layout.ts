import { serviceColors } from '../../providers/services.js';
import { html, raw, type SafeHtml } from '../html.js';
import { A11Y_STYLE } from './a11y-style.js';
import { themeCss, type Theme } from './theme.js';
import { direction, type Lang } from '../../i18n/index.js';

export interface LayoutOptions {
  title: string;
  /**
   * The CSP nonce for the inline style and script; null on pages served with CSP hashes
   * instead (the same bytes for every visitor: see {@link inlineStyle} and security.ts hashedCsp).
   */
  nonce: string | null;
  body: SafeHtml;
  /** The page's language (`lang` and `dir`); English on the app's own pages. */
  lang?: Lang;
  description?: string;
  image?: string | null;
  script?: SafeHtml;
  theme?: Theme;
}

const STYLE = `
:root{--bg:#0f0f14;--fg:#f4f4f6;--muted:#a1a1b0;--card:#1a1a23;--accent:#8b5cf6}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:34rem;margin-block:0;margin-inline:auto;padding-block:2rem;padding-inline:1.25rem}
.card{background:var(--card);border-radius:1rem;padding:1.5rem;text-align:center}
.art{display:block;margin-block:0;margin-inline:auto;width:100%;max-width:20rem;aspect-ratio:1;object-fit:cover;border-radius:.75rem;background:#2a2a35}
.art-placeholder{display:flex;align-items:center;justify-content:center;background:linear-gradient(135deg,#6d28d9,#db2777);font:700 6rem system-ui,sans-serif;color:#fff}
h1{font-size:1.6rem;margin-block:.75rem .25rem;margin-inline:0}h2{font-size:1.1rem;color:var(--muted);font-weight:500;margin-block:0 1rem;margin-inline:0}
.muted{color:var(--muted);font-size:.9rem}.countdown{font-size:1.25rem;font-variant-numeric:tabular-nums;margin-block:1rem;margin-inline:0}
.btn{display:block;width:100%;padding-block:.9rem;padding-inline:1rem;margin-block:.5rem;margin-inline:0;border:0;border-radius:999px;font:600 1rem system-ui,sans-serif;color:#fff;background:var(--accent);cursor:pointer;text-decoration:none}
.btn:focus-visible{outline:3px solid #fff;outline-offset:2px}
.consent{font-size:.85rem;color:var(--muted);text-align:start;margin-block-start:1rem}
.badge{display:inline-block;padding-block:.15rem;padding-inline:.6rem;border-radius:999px;background:#f59e0b;color:#111;font-size:.8rem;font-weight:700}
table{width:100%;border-collapse:collapse;text-align:start}td,th{padding:.4rem;border-block-end:1px solid #333}
a{color:#c4b5fd}
.reach{text-align:start;margin-block-start:1.5rem}.reach label{display:block;margin-block:.5rem .25rem}.reach input[type=email],.reach select{width:100%;padding:.6rem;border-radius:.5rem;border:1px solid #555;background:#0f0f14;color:var(--fg);font:inherit}
.reach .check{display:flex;gap:.5rem;align-items:flex-start;margin-block:.6rem}.reach .check label{display:inline;margin:0}.reach .check input{margin-block-start:.3rem}.reach [role=alert]{border-inline-start:4px solid #f59e0b;padding-inline-start:.75rem}
body{overflow-wrap:anywhere}img,svg,canvas,video,iframe,input,select,textarea{max-width:100%}
th,td.n{overflow-wrap:normal}@media (max-width:40rem){table{display:block;overflow-x:auto}}
${Object.entries(serviceColors())
  .map(([id, color]) => `.svc-${id}{background:${color}}`)
  .join('')}
`;

/**
 * The page's inline style element's exact text. Emitted unchanged (no indentation around it), so
 * a CSP hash computed from this string matches what the browser hashes.
 */
export function inlineStyle(theme?: Theme): string {
  return STYLE + A11Y_STYLE + themeCss(theme);
}

export function layout(o: LayoutOptions): SafeHtml {
  const nonce = o.nonce === null ? '' : html` nonce="${o.nonce}"`;
  return html`<!doctype html>
    <html lang="${o.lang ?? 'en'}" dir="${direction(o.lang ?? 'en')}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${o.title}</title>
        ${
          o.description
            ? html`<meta name="description" content="${o.description}" />
                <meta property="og:title" content="${o.title}" />
                <meta property="og:description" content="${o.description}" />`
            : ''
        }
        ${
          o.image
            ? html`<meta property="og:image" content="${o.image}" />
                <meta name="twitter:card" content="summary_large_image" />`
            : ''
        }
        <style${nonce}>${raw(inlineStyle(o.theme))}</style>
      </head>
      <body>
        <main>${o.body}</main>
        ${o.script ? html`<script${nonce}>${o.script}</script>` : ''}
      </body>
    </html>`;
}
