import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfField } from '../../csrf.js';
import { html, raw, type SafeHtml } from '../../html.js';
import { layout } from '../layout.js';

const STYLE = raw(`
main{max-width:46rem}
.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;margin-bottom:1.5rem;font-size:.9rem}.top>*{min-width:0}
.top form{display:inline;margin:0}.top nav{display:flex;gap:1rem;align-items:center}
.linkbtn{background:none;border:0;color:#c4b5fd;font:inherit;cursor:pointer;padding:0;text-decoration:underline}
.panel{background:var(--card);border-radius:1rem;padding:1.5rem;margin-bottom:1.25rem}
.panel h1{margin-top:0}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=email],input[type=password],input[type=text],input[type=url],select{width:100%;padding:.6rem .7rem;border-radius:.5rem;border:1px solid #3a3a48;background:#0f0f14;color:var(--fg);font:inherit}
.hint{color:var(--muted);font-size:.85rem;margin:.25rem 0 0}
.err{color:#fca5a5;font-size:.9rem;margin:.25rem 0 0}
.alert{background:#3b1d1d;border:1px solid #7f1d1d;color:#fecaca;padding:.75rem 1rem;border-radius:.5rem;margin:0 0 1rem}
.notice{background:#1d2b3b;border:1px solid #1e3a5f;color:#dbeafe;padding:.75rem 1rem;border-radius:.5rem;margin:0 0 1rem}
.inline{display:inline-flex;gap:.4rem;align-items:center;margin:0}
.inline select{width:auto;padding:.3rem}
.small{padding:.35rem .8rem;font-size:.85rem;display:inline-block;width:auto;margin:0}
.danger{background:#b91c1c}
.row{display:flex;gap:1rem;flex-wrap:wrap}.row>div{flex:1;min-width:min(12rem,100%)}
[data-role]{white-space:nowrap}
`);

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** A status line for the top bar; defaults to the signed-in user with a sign-out button. */
  bare?: boolean;
}

/** The frame of every accounts/workspace page: top bar (who is signed in, sign out) and the body. */
export function appPage(req: FastifyRequest, o: PageOptions): SafeHtml {
  const user = req.user;
  const top =
    user && !o.bare
      ? html`<header class="top">
          <nav><a href="/workspaces">Workspaces</a>${user.isInstanceAdmin ? html`<a href="/admin">Operator overview</a>` : ''}</nav>
          <span
            >${user.email}
            <form method="post" action="/logout">${csrfField(req)}<button class="linkbtn" type="submit">Sign out</button></form></span
          >
        </header>`
      : html`<header class="top"><strong>Dropday</strong></header>`;
  return layout({
    title: `${o.title} — Dropday`,
    nonce: req.cspNonce,
    body: html`<style nonce="${req.cspNonce}">
        ${STYLE}
      </style>
      ${top}${o.body}`,
  });
}

/** Sends an app page: HTML, never cached (it is about one person). */
export function sendPage(req: FastifyRequest, reply: FastifyReply, o: PageOptions, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(appPage(req, o).value);
}

export function fieldError(errors: Record<string, string> | undefined, field: string): SafeHtml | '' {
  const e = errors?.[field];
  return e ? html`<p class="err" id="${field}-error">${e}</p>` : '';
}

export function alertBox(message: string | null | undefined): SafeHtml | '' {
  return message ? html`<p class="alert" role="alert">${message}</p>` : '';
}

export function noticeBox(message: string | null | undefined): SafeHtml | '' {
  return message ? html`<p class="notice" role="status">${message}</p>` : '';
}
