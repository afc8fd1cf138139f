import { escapeHtml, layout } from './html.js';
import { isScope, SCOPE_DESCRIPTIONS } from './scopes.js';

/** Sandbox usernames: what the consent form accepts and the server re-checks. */
export const USERNAME_PATTERN = '[a-z0-9_.\\-]{1,32}';
export const USERNAME_RE = new RegExp(`^${USERNAME_PATTERN}$`);

export interface ConsentView {
  requestId: string;
  clientId: string;
  redirectUri: string;
  /** Space-separated scopes the client asks for. */
  scope: string;
  username?: string;
  message?: string;
}

export function consentPage(view: ConsentView): string {
  const scopes = view.scope.split(' ').filter(isScope);
  const asks = scopes.length
    ? `<ul>${scopes.map((s) => `<li>${escapeHtml(SCOPE_DESCRIPTIONS[s])}</li>`).join('')}</ul>`
    : '<p>Only to know your Sandbox username.</p>';
  let returnsTo = view.redirectUri;
  try {
    returnsTo = new URL(view.redirectUri).host || view.redirectUri;
  } catch {
    // An app URI without a host: show it whole.
  }
  const message = view.message ? `<p class="error" role="alert">${escapeHtml(view.message)}</p>` : '';
  return layout(
    'Sandbox — allow access?',
    `<p>The app <strong>${escapeHtml(view.clientId)}</strong> (returning to ${escapeHtml(returnsTo)}) asks to:</p>` +
      asks +
      message +
      '<form method="post" action="./authorize">' +
      `<input type="hidden" name="request_id" value="${escapeHtml(view.requestId)}">` +
      '<label for="username">Sandbox username</label>' +
      `<input id="username" name="username" required pattern="${escapeHtml(USERNAME_PATTERN)}" maxlength="32" ` +
      `autocomplete="username" autocapitalize="none" spellcheck="false" value="${escapeHtml(view.username ?? '')}">` +
      '<p class="note">1–32 characters: lowercase letters, digits, “_”, “.” or “-”. There is no password: ' +
      'the Sandbox is not a real service and keeps nothing but this name and what you save.</p>' +
      '<button type="submit" name="decision" value="allow">Allow</button>' +
      '<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>' +
      '</form>',
  );
}
