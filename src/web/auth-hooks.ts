import { hkdfSync } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AuthDeps } from '../accounts/auth.js';
import { readAccountsConfig, type AccountsConfig } from '../accounts/config.js';
import { setHashConcurrency } from '../accounts/passwords.js';
import { atLeast, type Role } from '../accounts/roles.js';
import { createSession, loadSession, revokeSession, type ActiveSession } from '../accounts/sessions.js';
import type { User } from '../accounts/users.js';
import { findWorkspaceBySlug, roleOf, type Workspace } from '../accounts/workspaces.js';
import type { Env } from '../config-reader.js';
import type { AppContext } from '../context.js';
import { DropdayError } from '../errors.js';
import { createMailer, type Mailer } from '../mail/index.js';
import { loadEncryptionKeys } from '../util/keys.js';
import { verifyCsrf, type CsrfSettings } from './csrf.js';
import { authRoutes } from './routes/auth.js';
import { workspaceRoutes } from './routes/workspaces.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null. Set for every request that carries a valid session cookie. */
    user: User | null;
    /** Set by requireRole: the workspace named by the `:workspace` route parameter. */
    workspace: Workspace | null;
    /** Set by requireRole: the user's role there (instance admins who are not members get 'viewer'). */
    role: Role | null;
    /** Set by requireRole: true when access comes only from being an instance admin. */
    operatorAccess: boolean;
    authSession: ActiveSession | null;
    dropdayAuth: AuthRuntime | null;
    csrfSettings: CsrfSettings | null;
    csrfPreValue: string | null;
    csrfPreIssue: boolean;
  }
}

export interface AuthRuntime extends AuthDeps {
  ctx: AppContext;
}

/**
 * Accounts for the web app, in one call from buildApp: decorates requests (user, workspace, role),
 * loads the session from its cookie on every request that has one, checks CSRF on every
 * state-changing request (see csrf.ts for what is excluded), and mounts the sign-up/sign-in/reset,
 * workspace and invitation pages. The /admin pages stay in adminRoutes (routes/admin.ts).
 * Calling it twice on one app does nothing the second time.
 */
export async function registerAuth(app: FastifyInstance, ctx: AppContext, opts: { env?: Env; mailer?: Mailer } = {}): Promise<void> {
  if (app.hasRequestDecorator('dropdayAuth')) return;
  const config = opts.env ? readAccountsConfig(ctx.config.publicUrl, opts.env) : ctx.config.accounts;
  const mailer = opts.mailer ?? createMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, log: ctx.log });
  const runtime: AuthRuntime = { ctx, db: ctx.db, config, mailer, log: ctx.log };
  setHashConcurrency(config.hashConcurrency);
  const key = loadEncryptionKeys(ctx.config, ctx.log)[0]!.key;
  const csrf: CsrfSettings = {
    key: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'dropday csrf v1', 32)),
    publicOrigin: new URL(ctx.config.publicUrl).origin,
    cookie: config.csrfCookie,
  };

  app.decorateRequest('user', null);
  app.decorateRequest('workspace', null);
  app.decorateRequest('role', null);
  app.decorateRequest('operatorAccess', false);
  app.decorateRequest('authSession', null);
  app.decorateRequest('dropdayAuth', null);
  app.decorateRequest('csrfSettings', null);
  app.decorateRequest('csrfPreValue', null);
  app.decorateRequest('csrfPreIssue', false);

  // Callback hooks, not async ones: they run on every request (fans' pages included), and only a
  // request with a session cookie has anything to wait for.
  app.addHook('onRequest', (req, reply, done) => {
    req.dropdayAuth = runtime;
    req.csrfSettings = csrf;
    if (req.url.startsWith('/sandbox/')) return done();
    const pre = req.cookies[config.csrfCookie];
    if (pre && /^[A-Za-z0-9_-]{20,100}$/.test(pre)) req.csrfPreValue = pre;
    const token = req.cookies[config.sessionCookie];
    if (!token) return done();
    loadSession(ctx.db, token, ctx.now(), sessionTimeouts(config)).then((session) => {
      if (session) {
        req.authSession = session;
        req.user = session.user;
      } else {
        reply.clearCookie(config.sessionCookie, cookieOptions(config));
      }
      done();
    }, done);
  });
  app.addHook('preValidation', verifyCsrf);
  app.addHook('onSend', (req, reply, payload, done) => {
    if (req.csrfPreIssue && req.csrfPreValue) {
      reply.setCookie(config.csrfCookie, req.csrfPreValue, { ...cookieOptions(config), maxAge: undefined });
    }
    done(null, payload);
  });

  authRoutes(app, runtime);
  workspaceRoutes(app, runtime);
}

export function sessionTimeouts(config: AccountsConfig) {
  return { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs };
}

function cookieOptions(config: AccountsConfig) {
  return { path: '/', httpOnly: true, secure: config.secureCookies, sameSite: 'lax' as const, maxAge: config.sessionAbsoluteMs / 1000 };
}

export function authRuntime(req: FastifyRequest): AuthRuntime {
  const rt = req.dropdayAuth;
  if (!rt) throw new Error('Accounts are not set up: call registerAuth(app, ctx) when building the app');
  return rt;
}

/**
 * Signs a user in on this response: any session the browser already had is revoked server-side
 * and a new token is issued (rotation), so a session fixed before sign-in is worthless after it.
 */
export async function startSession(req: FastifyRequest, reply: FastifyReply, userId: number): Promise<void> {
  const rt = authRuntime(req);
  await revokeSession(rt.db, req.cookies[rt.config.sessionCookie]);
  const { token } = await createSession(rt.db, userId, rt.ctx.now(), sessionTimeouts(rt.config));
  reply.setCookie(rt.config.sessionCookie, token, cookieOptions(rt.config));
  req.authSession = null;
  req.user = null;
}

/** Signs out: the session is deleted on the server, and the cookie cleared. */
export async function endSession(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const rt = authRuntime(req);
  await revokeSession(rt.db, req.cookies[rt.config.sessionCookie]);
  reply.clearCookie(rt.config.sessionCookie, cookieOptions(rt.config));
  req.authSession = null;
  req.user = null;
}

/** A local path to return to after signing in; anything else (another host, `//x`, `/\x`) becomes the default. */
export function safeNext(next: unknown, fallback = '/workspaces'): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(next) ? next : fallback;
}

function wantsHtml(req: FastifyRequest): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    !(req.headers.accept ?? '').includes('application/json') &&
    !req.url.startsWith('/api/')
  );
}

/** Redirects a page request without a session to /login (and back afterwards); 401 for anything else. */
function ensureUser(req: FastifyRequest, reply: FastifyReply): User | null {
  authRuntime(req);
  if (req.user) return req.user;
  if (wantsHtml(req)) {
    void reply.redirect(`/login?next=${encodeURIComponent(safeNext(req.url))}`, 303);
    return null;
  }
  throw new DropdayError('UNAUTHORIZED');
}

/**
 * preHandler: a signed-in user is required. A page asked for without a session redirects to
 * /login (and back afterwards); anything else answers 401.
 */
export const requireUser: preHandlerAsyncHookHandler = async function requireUser(req, reply) {
  if (!ensureUser(req, reply)) return reply;
};

/**
 * preHandler factory: the signed-in user must have at least `min` in the workspace named by the
 * route's `:workspace` parameter (its slug). Sets req.workspace and req.role. A workspace the
 * user cannot see answers 404 (as if it did not exist); too low a role answers 403. Instance
 * admins who are not members may read every workspace (role 'viewer', operatorAccess true).
 */
export function requireRole(min: Role): preHandlerAsyncHookHandler {
  return async function requireRoleHandler(req, reply) {
    const user = ensureUser(req, reply);
    if (!user) return reply;
    const rt = authRuntime(req);
    const slug = String((req.params as Record<string, unknown> | undefined)?.workspace ?? '').toLowerCase();
    const ws = await findWorkspaceBySlug(rt.db, slug);
    let role = ws ? await roleOf(rt.db, ws.id, user.id) : null;
    let operator = false;
    if (ws && !role && user.isInstanceAdmin) {
      role = 'viewer';
      operator = true;
    }
    if (!ws || !role) throw new DropdayError('NOT_FOUND', 'There is no workspace at this address.');
    req.workspace = ws;
    req.role = role;
    req.operatorAccess = operator;
    if (!atLeast(role, min)) throw new DropdayError('FORBIDDEN', `This needs the ${min} role or higher in “${ws.name}”; you are ${role}.`);
  };
}

/** preHandler: the signed-in user must be an instance admin (an operator of this Dropday server). */
export const requireInstanceAdmin: preHandlerAsyncHookHandler = async function requireInstanceAdmin(req, reply) {
  const user = ensureUser(req, reply);
  if (!user) return reply;
  if (!user.isInstanceAdmin) throw new DropdayError('FORBIDDEN', 'Only the operators of this Dropday server can see this page.');
};

/** The signed-in user after requireUser/requireRole (throws if the route forgot the preHandler). */
export function userOf(req: FastifyRequest): User {
  if (!req.user) throw new DropdayError('UNAUTHORIZED');
  return req.user;
}

/** The workspace and role after requireRole. */
export function workspaceOf(req: FastifyRequest): { workspace: Workspace; role: Role; user: User } {
  if (!req.workspace || !req.role) throw new Error('workspaceOf() needs the requireRole preHandler on this route');
  return { workspace: req.workspace, role: req.role, user: userOf(req) };
}
