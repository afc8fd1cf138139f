import type { FastifyRequest } from 'fastify';
import { MIN_PASSWORD_LENGTH } from '../../../accounts/passwords.js';
import { csrfField } from '../../csrf.js';
import { html, type SafeHtml } from '../../html.js';
import { alertBox, fieldError, noticeBox } from './shell.js';

export interface FormState {
  email?: string;
  next?: string;
  errors?: Record<string, string>;
  message?: string | null;
  notice?: string | null;
}

function nextField(next: string | undefined): SafeHtml | '' {
  return next ? html`<input type="hidden" name="next" value="${next}" />` : '';
}

function withNext(path: string, next: string | undefined): string {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

export function signupForm(req: FastifyRequest, s: FormState & { closed?: boolean }): SafeHtml {
  if (s.closed) {
    return html`<section class="panel">
      <h1>Create your account</h1>
      ${alertBox(s.message)}
      <p class="muted">Already have an account? <a href="/login">Sign in</a></p>
    </section>`;
  }
  return html`<section class="panel">
    <h1>Create your account</h1>
    ${noticeBox(s.notice)}${alertBox(s.message)}
    <form method="post" action="/signup" novalidate>
      ${csrfField(req)}${nextField(s.next)}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" required value="${s.email ?? ''}" />
      ${fieldError(s.errors, 'email')}
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" />
      <p class="hint">At least ${MIN_PASSWORD_LENGTH} characters; a few words make a good one. Common passwords are refused.</p>
      ${fieldError(s.errors, 'password')}
      <button class="btn" type="submit">Create account</button>
    </form>
    <p class="muted">Already have an account? <a href="${withNext('/login', s.next)}">Sign in</a></p>
  </section>`;
}

export function loginForm(req: FastifyRequest, s: FormState): SafeHtml {
  return html`<section class="panel">
    <h1>Sign in</h1>
    ${noticeBox(s.notice)}${alertBox(s.message)}
    <form method="post" action="/login">
      ${csrfField(req)}${nextField(s.next)}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value="${s.email ?? ''}" />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button class="btn" type="submit">Sign in</button>
    </form>
    <p class="muted"><a href="/forgot">Forgot your password?</a> · <a href="${withNext('/signup', s.next)}">Create an account</a></p>
  </section>`;
}

export function forgotForm(req: FastifyRequest, s: FormState & { sent?: boolean }): SafeHtml {
  if (s.sent) {
    return html`<section class="panel">
      <h1>Check your email</h1>
      <p role="status">
        If an account exists for that address, we have sent it a link to choose a new password. The link works once, for 30
        minutes.
      </p>
      <p><a href="/login">Back to sign in</a></p>
    </section>`;
  }
  return html`<section class="panel">
    <h1>Reset your password</h1>
    ${alertBox(s.message)}
    <form method="post" action="/forgot" novalidate>
      ${csrfField(req)}
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" required value="${s.email ?? ''}" />
      ${fieldError(s.errors, 'email')}
      <button class="btn" type="submit">Send me a link</button>
    </form>
    <p class="muted"><a href="/login">Back to sign in</a></p>
  </section>`;
}

export function resetForm(req: FastifyRequest, token: string, s: FormState & { invalid?: boolean }): SafeHtml {
  if (s.invalid) {
    return html`<section class="panel" role="alert">
      <h1>This link does not work</h1>
      <p>This password reset link is not valid, was already used, or has expired (links last 30 minutes).</p>
      <p><a class="btn" href="/forgot">Ask for a new link</a></p>
    </section>`;
  }
  return html`<section class="panel">
    <h1>Choose a new password</h1>
    ${s.email ? html`<p class="muted">For ${s.email}</p>` : ''} ${alertBox(s.message)}
    <form method="post" action="/reset/${token}" novalidate>
      ${csrfField(req)}
      <label for="password">New password</label>
      <input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" />
      <p class="hint">At least ${MIN_PASSWORD_LENGTH} characters. Every device signed in to this account will be signed out.</p>
      ${fieldError(s.errors, 'password')}
      <button class="btn" type="submit">Set password</button>
    </form>
  </section>`;
}

/** The page a confirmation link opens: one button, so a mail scanner fetching the link confirms nothing. */
export function verifyForm(req: FastifyRequest, token: string, s: { email?: string; invalid?: boolean }): SafeHtml {
  if (s.invalid) {
    return html`<section class="panel" role="alert">
      <h1>This link does not work</h1>
      <p>This confirmation link is not valid, was already used, or has expired (links last 3 days).</p>
      <p>Sign in and ask for a new one from your invitation, or from the page that asked you to confirm.</p>
    </section>`;
  }
  return html`<section class="panel">
    <h1>Confirm your email address</h1>
    <p>Confirm that <strong>${s.email ?? ''}</strong> is your address and that you created this Dropday account.</p>
    <p class="muted">If you did not create it, close this page: nobody can join a workspace with your address until it is confirmed.</p>
    <form method="post" action="/verify/${token}" novalidate>
      ${csrfField(req)}<button class="btn" type="submit">Confirm my address</button>
    </form>
  </section>`;
}

/** For a signed-in account whose address is not proven yet: what to do, and a button for a new link. */
export function confirmFirst(req: FastifyRequest, email: string, next: string, sent = false): SafeHtml {
  return html`<p class="alert" role="alert">
      Confirm your email address first: open the link we sent to <strong>${email}</strong>, then come back to this page.
    </p>
    ${sent ? noticeBox('We sent a new link. It works for 3 days.') : ''}
    <form method="post" action="/verify" novalidate>
      ${csrfField(req)}<input type="hidden" name="next" value="${next}" />
      <button class="btn secondary" type="submit">Send the link again</button>
    </form>`;
}
