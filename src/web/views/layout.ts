import { serviceColors } from '../../providers/services.js';
import { html, raw, type SafeHtml } from '../html.js';
import { A11Y_STYLE } from './a11y-style.js';
import { themeCss, type Theme } from './theme.js';

export interface LayoutOptions {
  title: string;
  /**
   * The CSP nonce for the inline style and script; null on pages served with CSP hashes
   * instead (the same bytes for every visitor: see {@link inlineStyle} and security.ts hashedCsp).
   */
  nonce: string | null;
  body: SafeHtml;
  lang?: string;
  description?: string;
  image?: string | null;
  script?: SafeHtml;
  theme?: Theme;
}

const STYLE = `
:root{--bg:#0f0f14;--fg:#f4f4f6;--muted:#a1a1b0;--card:#1a1a23;--accent:#8b5cf6}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:34rem;margin:0 auto;padding:2rem 1.25rem}
.card{background:var(--card);border-radius:1rem;padding:1.5rem;text-align:center}
.art{display:block;margin:0 auto;width:100%;max-width:20rem;aspect-ratio:1;object-fit:cover;border-radius:.75rem;background:#2a2a35}
.art-placeholder{display:flex;align-items:center;justify-content:center;background:linear-gradient(135deg,#6d28d9,#db2777);font:700 6rem system-ui,sans-serif;color:#fff}
h1{font-size:1.6rem;margin:.75rem 0 .25rem}h2{font-size:1.1rem;color:var(--muted);font-weight:500;margin:0 0 1rem}
.muted{color:var(--muted);font-size:.9rem}.countdown{font-size:1.25rem;font-variant-numeric:tabular-nums;margin:1rem 0}
.btn{display:block;width:100%;padding:.9rem 1rem;margin:.5rem 0;border:0;border-radius:999px;font:600 1rem system-ui,sans-serif;color:#fff;background:var(--accent);cursor:pointer;text-decoration:none}
.btn:focus-visible{outline:3px solid #fff;outline-offset:2px}
.consent{font-size:.85rem;color:var(--muted);text-align:left;margin-top:1rem}
.badge{display:inline-block;padding:.15rem .6rem;border-radius:999px;background:#f59e0b;color:#111;font-size:.8rem;font-weight:700}
table{width:100%;border-collapse:collapse;text-align:left}td,th{padding:.4rem;border-bottom:1px solid #333}
a{color:#c4b5fd}
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
    <html lang="${o.lang ?? 'en'}">
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
