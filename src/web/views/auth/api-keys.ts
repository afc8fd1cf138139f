import type { FastifyRequest } from 'fastify';
import type { ApiKey } from '../../../api/keys/store.js';
import { API_RESOURCES, SCOPE_WORDS, type ApiScope } from '../../../api/scopes.js';
import type { Workspace } from '../../../accounts/workspaces.js';
import { csrfField } from '../../csrf.js';
import { html, raw, type SafeHtml } from '../../html.js';
import { copySecret } from './copy-secret.js';
import { alertBox, fieldError, noticeBox } from './shell.js';

export interface ApiKeysPageData {
  workspace: Workspace;
  keys: ApiKey[];
  now: number;
  /** A key just made: its secret, shown on this one answer only. */
  made?: { key: ApiKey; secret: string };
  errors?: Record<string, string>;
  message?: string | null;
  notice?: string | null;
  values?: { name?: string; scopes?: readonly string[]; expires?: string };
}

const STYLE = raw(`
.scopes{width:100%;border-collapse:collapse;margin:.25rem 0}.scopes td,.scopes th{padding:.3rem .4rem;text-align:left}
.scopes input{width:auto;margin:0}
.keys{width:100%;font-size:.9rem}.keys td{vertical-align:top;padding:.35rem .3rem}.keys .btn{white-space:nowrap}
.secret{font-family:ui-monospace,monospace;word-break:break-all}
.warn{background:#3b2f1d;border:1px solid #7c5a1d;color:#fde68a;padding:.75rem 1rem;border-radius:.5rem;margin:0 0 1rem}
input[type=date]{padding:.5rem .6rem;border-radius:.5rem;border:1px solid #3a3a48;background:#0f0f14;color:var(--fg);font:inherit}
`);

const day = (ms: number | null): string => (ms === null ? '' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`);

function scopeGrid(checked: readonly string[]): SafeHtml {
  // Each box is named for its resource too ("campaigns: read"): eight unnamed "read" boxes say nothing to a screen reader.
  const box = (scope: ApiScope, label: string) =>
    html`<label class="inline"
      ><input type="checkbox" name="scope" value="${scope}" aria-label="${scope.replace(':', ': ')}" ${checked.includes(scope) ? 'checked' : ''} />${label}</label
    >`;
  return html`<table class="scopes">
    <thead>
      <tr>
        <th>Resource</th>
        <th>Read (see)</th>
        <th>Write (also change)</th>
      </tr>
    </thead>
    <tbody>
      ${API_RESOURCES.map(
        (r) => html`<tr>
          <td>${r} <span class="hint">${SCOPE_WORDS[r]}</span></td>
          <td>${box(`${r}:read`, 'read')}</td>
          <td>${box(`${r}:write`, 'write')}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function state(k: ApiKey, now: number): string {
  if (k.revokedAt !== null) return `revoked ${day(k.revokedAt)}`;
  if (k.expiresAt !== null) return k.expiresAt <= now ? `expired ${day(k.expiresAt)}` : `expires ${day(k.expiresAt)}`;
  return 'no expiry';
}

/**
 * The workspace's API keys (admins and owners): make one (shown once, with a copy button), the list,
 * and revoking with a confirmation step (revokeKeyPage).
 */
export function apiKeysPage(req: FastifyRequest, d: ApiKeysPageData): SafeHtml {
  const base = `/w/${d.workspace.slug}/api-keys`;
  const v = d.values ?? {};
  // A refused field says so to a screen reader too, and points at its reason.
  const invalid = (f: string) => (d.errors?.[f] ? html`aria-invalid="true" aria-describedby="${f}-error"` : '');
  const made = d.made
    ? html`<div class="warn" role="status" id="new-key">
        <p><strong>Your new API key “${d.made.key.name}”.</strong> Copy it now: it is shown this once and cannot be shown again (only its hash is kept).</p>
        ${copySecret(req, 'new-key-value', d.made.secret)}
      </div>
      <script nonce="${req.cspNonce}">
        // A reload must not post the form again (another key): make this entry a plain GET of the page.
        history.replaceState(null, '', ${raw(JSON.stringify(base))});
      </script>`
    : '';
  const rows = d.keys.map(
    (k) => html`<tr data-key="${k.prefix}">
      <td><code>${k.prefix}</code></td>
      <td>${k.name}</td>
      <td>${k.scopes.join(', ')}</td>
      <td>${day(k.createdAt)} <span class="hint">(${k.createdVia})</span></td>
      <td>${k.lastUsedAt === null ? 'never' : day(k.lastUsedAt)}</td>
      <td data-state>${state(k, d.now)}</td>
      <td>${k.revokedAt === null ? html`<a class="btn small danger" href="${base}/${k.prefix}/revoke">Revoke</a>` : ''}</td>
    </tr>`,
  );
  return html`<style nonce="${req.cspNonce}">
      ${STYLE}
    </style>
    <section class="panel">
      <p><a href="/w/${d.workspace.slug}/members">← ${d.workspace.name}</a></p>
      <h1>API keys</h1>
      <p class="muted">
        A key lets a program — your website, a spreadsheet script, a developer's tool — use the Dropday API
        (<a href="/api/docs">documentation</a>) for this workspace only, with only the permissions (scopes) you tick. Anyone who has
        the key can do what it allows: keep it private, and revoke it when the program no longer needs it.
      </p>
      ${made}${noticeBox(d.notice)}
      ${
        d.keys.length
          ? html`<table class="keys">
              <thead>
                <tr>
                  <th>Key</th>
                  <th>Name</th>
                  <th>Scopes</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th>State</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`
          : html`<p class="muted" data-empty>No API keys yet — create one below when a program needs to reach this workspace.</p>`
      }
    </section>
    <section class="panel" id="create-key">
      <h2>Create an API key</h2>
      ${alertBox(d.message)}
      <form method="post" action="${base}" novalidate>
        ${csrfField(req)}
        <label for="key-name">Name</label>
        <input id="key-name" name="name" type="text" maxlength="100" value="${v.name ?? ''}" ${invalid('name')} />
        <p class="hint">What uses the key, e.g. “CRM sync”.</p>
        ${fieldError(d.errors, 'name')}
        <fieldset ${d.errors?.scopes ? html`aria-describedby="scopes-error"` : ''}>
          <legend>Scopes</legend>
          ${scopeGrid(v.scopes ?? [])}
          <p class="hint">Read lets the program see that part; write also lets it create, change or delete there. Give a key only what its program needs.</p>
          ${fieldError(d.errors, 'scopes')}
        </fieldset>
        <label for="key-expires">Expires (optional)</label>
        <input id="key-expires" name="expires" type="date" value="${v.expires ?? ''}" ${invalid('expires_at')} />
        <p class="hint">The key works through this day (UTC). Leave empty for a key that does not expire.</p>
        ${fieldError(d.errors, 'expires_at')}
        <button class="btn" type="submit">Create key</button>
      </form>
    </section>`;
}

/** The confirmation step before revoking: what stops working, and the button that does it. */
export function revokeKeyPage(req: FastifyRequest, workspace: Workspace, key: ApiKey): SafeHtml {
  const base = `/w/${workspace.slug}/api-keys`;
  return html`<section class="panel">
    <h1>Revoke API key ${key.prefix}?</h1>
    <p>“${key.name}” (${key.scopes.join(', ')}) stops working at once: every program using it is refused. This cannot be undone — if a program still needs access, create a new key and give it that one.</p>
    <form method="post" action="${base}/${key.prefix}/revoke">
      ${csrfField(req)}
      <button class="btn danger" type="submit">Revoke ${key.prefix}</button>
      <a href="${base}">Cancel</a>
    </form>
  </section>`;
}
