import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DeezerFaults } from './faults.js';
import { KNOWN_PERMS, randomCode, USERNAME_RE, type DeezerFakeState } from './state.js';

/**
 * connect.deezer.com: `oauth/auth.php` (the consent page, FanBrowser-compatible: hidden
 * request_id, username field, Allow/Deny posting to `./authorize`) and `oauth/access_token.php`
 * (code + app secret → token). Deezer has no PKCE: nothing here looks at a code_challenge.
 *
 * As Deezer does: an allowed consent redirects with `code` and `state`, a denied one with
 * `error_reason=user_denied`; the token endpoint answers plain text `wrong code` for an unknown,
 * used or expired code. For a wrong app id or secret the fake answers plain text too
 * (`wrong app_id`, `wrong secret`): Deezer's exact words there are not documented.
 */
export interface ConnectOptions {
  state: DeezerFakeState;
  faults: DeezerFaults;
  codeTtlMs: number;
  /** Lifetime of tokens issued without offline_access. */
  tokenTtlSeconds: number;
}

const CONSENT_TTL_MS = 10 * 60_000;

const PERM_TEXT: Record<string, string> = {
  basic_access: 'Access your basic information',
  email: 'Get your email address',
  offline_access: 'Access your data at any time',
  manage_library: 'Manage your library: add to your favourites, follow artists',
  manage_community: 'Manage your friends',
  delete_library: 'Delete from your library',
  listening_history: 'Access your listening history',
};

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`,
    );
}

function text(reply: FastifyReply, body: string): FastifyReply {
  return reply.code(200).header('content-type', 'text/html; charset=utf-8').send(body);
}

function withQuery(uri: string, params: Record<string, string | null>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== null) u.searchParams.set(k, v);
  return u.toString();
}

function field(src: unknown, name: string): string | undefined {
  if (!src || typeof src !== 'object') return undefined;
  const v = (src as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

export function connectRoutes(opts: ConnectOptions) {
  const { state } = opts;
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/oauth/auth.php', async (req, reply) => {
      const q = req.query;
      const appId = field(q, 'app_id');
      const registered = state.app(appId);
      if (!registered) return page(reply, 400, 'Error', '<p>You must enter a valid app_id.</p>');
      const redirectUri = field(q, 'redirect_uri');
      if (!redirectUri || !registered.redirectUris.includes(redirectUri)) {
        return page(reply, 400, 'Error', '<p>You must specify a valid redirect_uri.</p>');
      }
      const perms = (field(q, 'perms') ?? 'basic_access')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      const unknown = perms.find((p) => !(KNOWN_PERMS as readonly string[]).includes(p));
      if (unknown) return page(reply, 400, 'Error', `<p>Unknown permission: ${esc(unknown)}.</p>`);
      if (!perms.includes('basic_access')) perms.unshift('basic_access');

      const now = state.now();
      for (const [id, c] of state.consents) if (c.expiresAt <= now) state.consents.delete(id);
      const requestId = randomCode('', 12);
      state.consents.set(requestId, {
        requestId,
        appId: registered.appId,
        redirectUri,
        perms,
        state: field(q, 'state') ?? null,
        expiresAt: now + CONSENT_TTL_MS,
      });
      return page(
        reply,
        200,
        'Deezer — connect an app',
        `<p>The app <strong>${esc(registered.appId)}</strong> would like to:</p><ul>${perms.map((p) => `<li>${esc(PERM_TEXT[p] ?? p)}</li>`).join('')}</ul>` +
          '<form method="post" action="./authorize">' +
          `<input type="hidden" name="request_id" value="${esc(requestId)}">` +
          '<label for="username">Deezer username</label><input id="username" name="username" required>' +
          '<button type="submit" name="decision" value="allow">Accept</button>' +
          '<button type="submit" name="decision" value="deny" formnovalidate>Refuse</button>' +
          '</form>',
      );
    });

    app.post('/oauth/authorize', async (req, reply) => {
      const body = req.body;
      const requestId = field(body, 'request_id');
      const consent = requestId ? state.consents.get(requestId) : undefined;
      if (!consent || consent.expiresAt <= state.now()) {
        return page(reply, 400, 'Error', '<p>This request has expired or was already used.</p>');
      }
      const decision = field(body, 'decision');
      const username = (field(body, 'username') ?? '').trim();
      if (decision !== 'allow' && decision !== 'deny') return page(reply, 400, 'Error', '<p>Choose Accept or Refuse.</p>');
      if (decision === 'allow' && !USERNAME_RE.test(username)) return page(reply, 400, 'Error', '<p>Invalid username.</p>');
      state.consents.delete(consent.requestId); // single use
      const registered = state.app(consent.appId);
      if (!registered?.redirectUris.includes(consent.redirectUri)) return page(reply, 400, 'Error', '<p>Invalid redirect_uri.</p>');
      if (decision === 'deny') {
        return reply.redirect(withQuery(consent.redirectUri, { error_reason: 'user_denied', state: consent.state }), 302);
      }
      const user = state.ensureUser(username);
      const code = randomCode('fr', 16);
      state.codes.set(code, {
        code,
        appId: consent.appId,
        userId: user.id,
        perms: consent.perms,
        expiresAt: state.now() + opts.codeTtlMs,
        used: false,
      });
      return reply.redirect(withQuery(consent.redirectUri, { code, state: consent.state }), 302);
    });

    const token = async (params: unknown, reply: FastifyReply) => {
      const registered = state.app(field(params, 'app_id'));
      if (!registered) return text(reply, 'wrong app_id');
      if (field(params, 'secret') !== registered.secret) return text(reply, 'wrong secret');
      const code = field(params, 'code') ?? '';
      const issued = state.codes.get(code);
      if (!issued || issued.used || issued.appId !== registered.appId || issued.expiresAt <= state.now()) return text(reply, 'wrong code');
      issued.used = true;
      const t = state.issueToken(registered, issued.userId, issued.perms, opts.tokenTtlSeconds);
      const expires = t.expiresAt === null ? 0 : opts.tokenTtlSeconds;
      if (field(params, 'output') === 'json') {
        return reply
          .code(200)
          .header('content-type', 'application/json; charset=utf-8')
          .send(JSON.stringify({ access_token: t.token, expires }));
      }
      return text(reply, `access_token=${t.token}&expires=${expires}`);
    };
    app.get('/oauth/access_token.php', (req, reply) => token(req.query, reply));
    app.post('/oauth/access_token.php', (req, reply) => token({ ...(req.query as object), ...(req.body as object) }, reply));
  };
}
