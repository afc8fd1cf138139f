import type { AppContext } from '../context.js';
import { reachKeys } from './keys.js';

/**
 * The addresses messages and pages link to, in one place (docs/reach.md):
 * - `/c/confirm/<token>`: double opt-in; the token is `<contact id>.<expiry ms>.<issued ms>` signed
 *   for `confirm` (the issue time bounds which consents it confirms: reach/consents.ts).
 * - `/c/<manage id>`: the preference page (what was agreed to; withdraw a purpose; erase everything).
 * - `/c/<manage id>/unsubscribe`: one-click unsubscribe (RFC 8058: POST with
 *   `List-Unsubscribe=One-Click`; a GET shows a page with one button).
 * - `/f/<manage id>`: forever save's page (stop it).
 * - `/n/<manage id>`: a push subscription's page (what it is for; stop it). Not `/w/`: the
 *   workspaces own that prefix (`/w/<workspace>`).
 * All absolute on PUBLIC_URL: mail is read elsewhere.
 */
/**
 * `issuedAt`: the moment the mail listed what it asks to confirm (the message engine: send time);
 * it confirms consents given at or before it. By default the moment the link's lifetime began.
 */
export function confirmToken(ctx: AppContext, contactId: number, expiresAt: number, issuedAt?: number): string {
  const issued = issuedAt ?? expiresAt - ctx.config.reach.contacts.confirmTtlMs;
  return reachKeys(ctx).sign('confirm', `${contactId}.${expiresAt}.${issued}`);
}

/** The contact id a confirmation token is for and when it was issued, or why it cannot be used. */
export function readConfirmToken(
  ctx: AppContext,
  token: string,
  now: number,
): { contactId: number; issuedAt: number } | { error: 'invalid' | 'expired' } {
  const payload = reachKeys(ctx).verify('confirm', token);
  const m = payload ? /^(\d{1,15})\.(\d{1,15})\.(\d{1,15})$/.exec(payload) : null;
  if (!m) return { error: 'invalid' };
  if (Number(m[2]) < now) return { error: 'expired' };
  return { contactId: Number(m[1]), issuedAt: Number(m[3]) };
}

const abs = (ctx: AppContext, path: string) => `${ctx.config.publicUrl}${path}`;

export const reachLinks = {
  confirm: (ctx: AppContext, contactId: number, expiresAt: number, issuedAt?: number) =>
    abs(ctx, `/c/confirm/${confirmToken(ctx, contactId, expiresAt, issuedAt)}`),
  preferences: (ctx: AppContext, manageId: string) => abs(ctx, `/c/${manageId}`),
  unsubscribe: (ctx: AppContext, manageId: string) => abs(ctx, `/c/${manageId}/unsubscribe`),
  forever: (ctx: AppContext, manageId: string) => abs(ctx, `/f/${manageId}`),
  push: (ctx: AppContext, manageId: string) => abs(ctx, `/n/${manageId}`),
};
