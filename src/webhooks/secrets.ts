import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';

/** How long the previous secret keeps signing after a rotation: receivers have a day to switch. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** A new signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Bound to the endpoint: a ciphertext copied to another endpoint's row does not decrypt. */
function aad(endpointPublicId: string): string {
  return `webhook-secret:${endpointPublicId}`;
}

export function encryptSecret(ctx: Pick<AppContext, 'cipher'>, endpointPublicId: string, secret: string): string {
  return ctx.cipher.encrypt(secret, aad(endpointPublicId));
}

/**
 * The secrets that sign a delivery now: the current one, and the previous one while its overlap
 * lasts (a receiver still holding it keeps verifying during a rotation).
 */
export function signingSecrets(
  ctx: Pick<AppContext, 'cipher'>,
  e: { public_id: string; secret_enc: string; previous_secret_enc: string | null; previous_secret_until: number | null },
  now: number,
): string[] {
  const secrets = [ctx.cipher.decrypt(e.secret_enc, aad(e.public_id))];
  if (e.previous_secret_enc && e.previous_secret_until !== null && e.previous_secret_until > now) {
    secrets.push(ctx.cipher.decrypt(e.previous_secret_enc, aad(e.public_id)));
  }
  return secrets;
}
