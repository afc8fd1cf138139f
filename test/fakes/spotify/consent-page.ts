/** The fake's HTML pages: the consent form FanBrowser fills in, and error pages. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export const USERNAME_RE = /^[a-z0-9_.-]{1,32}$/;

const SCOPE_TEXT: Record<string, string> = {
  'user-library-modify': 'Add and remove items in your library',
  'user-library-read': 'See what is in your library',
  'user-follow-modify': 'Follow and unfollow artists and users',
  'user-follow-read': 'See who you follow',
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><main><h1>Fake Spotify</h1>${body}</main></body></html>`;
}

export function consentPage(v: { requestId: string; clientId: string; scopes: string[]; message?: string }): string {
  const asks = v.scopes.map((s) => `<li>${esc(SCOPE_TEXT[s] ?? s)}</li>`).join('');
  return page(
    'Fake Spotify — allow access?',
    `<p>The app <strong>${esc(v.clientId)}</strong> asks to:</p><ul>${asks || '<li>Know who you are</li>'}</ul>` +
      (v.message ? `<p role="alert">${esc(v.message)}</p>` : '') +
      '<form method="post" action="./authorize">' +
      `<input type="hidden" name="request_id" value="${esc(v.requestId)}">` +
      '<label for="username">Spotify username</label><input id="username" name="username" required>' +
      '<button type="submit" name="decision" value="allow">Agree</button>' +
      '<button type="submit" name="decision" value="deny">Cancel</button>' +
      '</form>',
  );
}

export function errorPage(message: string): string {
  return page('Error', `<h2>Oops! Something went wrong</h2><p>${esc(message)}</p>`);
}
