import type { FastifyInstance, FastifyRequest } from 'fastify';
import { completePasswordReset, requestPasswordReset, resetLinkUser, signIn, signInFailureMessage } from '../../accounts/auth.js';
import { normaliseEmail } from '../../accounts/emails.js';
import { hasPendingInvitation } from '../../accounts/invitations.js';
import { createUser } from '../../accounts/users.js';
import { DropdayError, RetryLaterError } from '../../errors.js';
import { confirmEmail, sendVerification, verificationLinkUser } from '../../accounts/verification.js';
import { formFields } from '../form-fields.js';
import { endSession, requireUser, safeNext, startSession, userOf, type AuthRuntime } from '../auth-hooks.js';
import { html } from '../html.js';
import { forgotForm, loginForm, resetForm, signupForm, verifyForm } from '../views/auth/forms.js';
import { sendPage } from '../views/auth/shell.js';

type Form = Record<string, unknown>;
const str = (v: unknown, max = 1000): string => (typeof v === 'string' ? v.slice(0, max) : '');
/** The form's fields, type-checked (a 400 naming the field otherwise): none of these forms repeats a field. */
const body = (req: FastifyRequest): Form => formFields(req.body);
const query = (req: FastifyRequest): Form => (req.query && typeof req.query === 'object' ? (req.query as Form) : {});

/** Sign-up, sign-in, sign-out and password reset pages. */
export function authRoutes(app: FastifyInstance, rt: AuthRuntime): void {
  const { db, ctx } = rt;

  const CLOSED = 'Sign-up is closed on this Dropday server. Ask its operator for an account.';
  const INVITE_ONLY = 'Sign-up on this Dropday server needs an invitation: use the link in your invitation email.';

  app.get('/signup', async (req, reply) => {
    const q = query(req);
    if (rt.config.signup === 'closed') {
      return sendPage(req, reply, { title: 'Create your account', body: signupForm(req, { message: CLOSED, closed: true }) }, 403);
    }
    return sendPage(req, reply, {
      title: 'Create your account',
      body: signupForm(req, { email: str(q.email, 254), next: optionalNext(q.next) }),
    });
  });

  app.post('/signup', async (req, reply) => {
    const b = body(req);
    const email = normaliseEmail(str(b.email, 300));
    const next = optionalNext(b.next);
    const refusal =
      rt.config.signup === 'closed'
        ? CLOSED
        : rt.config.signup === 'invite' && !(await hasPendingInvitation(db, email, ctx.now()))
          ? INVITE_ONLY
          : null;
    if (refusal) {
      return sendPage(req, reply, { title: 'Create your account', body: signupForm(req, { email, next, message: refusal }) }, 403);
    }
    try {
      const user = await createUser(db, { email, password: str(b.password) }, ctx.now());
      await sendVerification(rt, user, ctx.now());
      await startSession(req, reply, user.id);
      return reply.redirect(safeNext(next), 303);
    } catch (err) {
      if (!(err instanceof DropdayError) || err.code !== 'VALIDATION') throw err;
      const errors = err.details ?? {};
      return sendPage(req, reply, { title: 'Create your account', body: signupForm(req, { email, next, errors }) }, 400);
    }
  });

  app.get('/login', async (req, reply) => {
    const q = query(req);
    const notice = q.reset === '1' ? 'Your password was changed. Sign in with the new one.' : q.out === '1' ? 'You are signed out.' : null;
    return sendPage(req, reply, { title: 'Sign in', body: loginForm(req, { next: optionalNext(q.next), notice }) });
  });

  app.post('/login', async (req, reply) => {
    const b = body(req);
    const email = str(b.email, 300);
    const next = optionalNext(b.next);
    let result;
    try {
      result = await signIn(rt, { email, password: str(b.password), ip: req.ip }, ctx.now());
    } catch (err) {
      if (!(err instanceof RetryLaterError)) throw err;
      // Too busy to check it: the form comes back at once with what was typed (not the password).
      reply.header('Retry-After', String(err.retryAfterSeconds));
      return sendPage(
        req,
        reply,
        { title: 'Sign in', body: loginForm(req, { email: normaliseEmail(email), next, message: err.message }) },
        503,
      );
    }
    if (!result.ok) {
      return sendPage(
        req,
        reply,
        { title: 'Sign in', body: loginForm(req, { email: normaliseEmail(email), next, message: signInFailureMessage(result.waitMs) }) },
        401,
      );
    }
    await startSession(req, reply, result.user.id);
    return reply.redirect(safeNext(next), 303);
  });

  verificationRoutes(app, rt);

  app.post('/logout', async (req, reply) => {
    await endSession(req, reply);
    return reply.redirect('/login?out=1', 303);
  });

  app.get('/forgot', async (req, reply) => sendPage(req, reply, { title: 'Reset your password', body: forgotForm(req, {}) }));

  app.post('/forgot', async (req, reply) => {
    const email = str(body(req).email, 300);
    try {
      await requestPasswordReset(rt, email, ctx.now());
    } catch (err) {
      if (!(err instanceof DropdayError) || err.code !== 'VALIDATION') throw err;
      return sendPage(req, reply, { title: 'Reset your password', body: forgotForm(req, { email, errors: err.details ?? {} }) }, 400);
    }
    return sendPage(req, reply, { title: 'Check your email', body: forgotForm(req, { sent: true }) });
  });

  // The token is in the path: keep these requests out of the access log, and out of Referer headers.
  app.get<{ Params: { token: string } }>('/reset/:token', { logLevel: 'warn' }, async (req, reply) => {
    const user = await resetLinkUser(rt, req.params.token, ctx.now());
    reply.header('Referrer-Policy', 'no-referrer');
    return sendPage(
      req,
      reply,
      { title: 'Choose a new password', body: resetForm(req, req.params.token, user ? { email: user.email } : { invalid: true }) },
      user ? 200 : 400,
    );
  });

  app.post<{ Params: { token: string } }>('/reset/:token', { logLevel: 'warn' }, async (req, reply) => {
    reply.header('Referrer-Policy', 'no-referrer');
    const token = req.params.token;
    try {
      const user = await completePasswordReset(rt, token, str(body(req).password), ctx.now());
      if (!user) return sendPage(req, reply, { title: 'Link not valid', body: resetForm(req, token, { invalid: true }) }, 400);
    } catch (err) {
      if (!(err instanceof DropdayError) || err.code !== 'VALIDATION') throw err;
      const user = await resetLinkUser(rt, token, ctx.now());
      return sendPage(
        req,
        reply,
        { title: 'Choose a new password', body: resetForm(req, token, { email: user?.email ?? '', errors: err.details ?? {} }) },
        400,
      );
    }
    // Every session of the account was ended; the browser that reset it signs in afresh.
    await endSession(req, reply);
    return reply.redirect('/login?reset=1', 303);
  });
}

/**
 * Confirming an address (accounts/verification.ts): the link opens a page with one button; a new
 * link can be asked for by the signed-in account. The token is in the path, as for reset links.
 */
function verificationRoutes(app: FastifyInstance, rt: AuthRuntime): void {
  const { ctx } = rt;
  app.get<{ Params: { token: string } }>('/verify/:token', { logLevel: 'warn' }, async (req, reply) => {
    reply.header('Referrer-Policy', 'no-referrer');
    const user = await verificationLinkUser(rt, req.params.token, ctx.now());
    const body = verifyForm(req, req.params.token, user ? { email: user.email } : { invalid: true });
    return sendPage(req, reply, { title: 'Confirm your email address', body }, user ? 200 : 400);
  });

  app.post<{ Params: { token: string } }>('/verify/:token', { logLevel: 'warn' }, async (req, reply) => {
    reply.header('Referrer-Policy', 'no-referrer');
    const user = await confirmEmail(rt, req.params.token, ctx.now());
    if (!user) {
      return sendPage(req, reply, { title: 'Link not valid', body: verifyForm(req, req.params.token, { invalid: true }) }, 400);
    }
    return sendPage(req, reply, {
      title: 'Address confirmed',
      body: html`<section class="panel">
        <h1>Address confirmed</h1>
        <p role="status">${user.email} is confirmed. You can now join the workspaces you are invited to: open your invitation again.</p>
        <p><a class="btn" href="/workspaces">Your workspaces</a></p>
      </section>`,
    });
  });

  app.post('/verify', { preHandler: requireUser }, async (req, reply) => {
    await sendVerification(rt, userOf(req), ctx.now());
    const next = safeNext(body(req).next, '/workspaces');
    return reply.redirect(`${next}${next.includes('?') ? '&' : '?'}sent=1`, 303);
  });
}

function optionalNext(v: unknown): string | undefined {
  const n = safeNext(v, '');
  return n || undefined;
}
