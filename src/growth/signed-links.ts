import type { AppContext } from '../context.js';
import { reachKeys } from '../reach/keys.js';

/**
 * Signed, expiring addresses bound to one fan's receipt: `/p/<receipt>/<kind>/<id>?exp=…&sig=…`.
 * The signature covers the kind, the receipt's public id, the item and the expiry, so a link
 * copied to another receipt, another item or past its time is refused. Made when the receipt page
 * is shown (or the player asks for a fresh one); nothing is stored.
 */
export type SignedKind = 'vault' | 'preview';

const PURPOSE = 'growth link v1';

function payload(kind: SignedKind, receipt: string, id: string, exp: number): string {
  return `${kind}|${receipt}|${id}|${exp}`;
}

export function signedPath(ctx: AppContext, kind: SignedKind, receipt: string, id: string, ttlMs: number): string {
  const exp = ctx.now() + ttlMs;
  const signed = reachKeys(ctx).sign(PURPOSE, payload(kind, receipt, id, exp));
  const sig = signed.slice(signed.lastIndexOf('.') + 1);
  return `/p/${receipt}/${kind}/${id}?exp=${exp}&sig=${sig}`;
}

export type LinkCheck = 'ok' | 'expired' | 'invalid';

/** Whether `exp`/`sig` from a request make a valid link for this receipt and item now. */
export function checkSignedLink(ctx: AppContext, kind: SignedKind, receipt: string, id: string, exp: unknown, sig: unknown): LinkCheck {
  if (typeof exp !== 'string' || typeof sig !== 'string' || !/^\d{1,16}$/.test(exp) || !/^[A-Za-z0-9_-]{10,64}$/.test(sig))
    return 'invalid';
  const valid = reachKeys(ctx).verify(PURPOSE, `${payload(kind, receipt, id, Number(exp))}.${sig}`) !== null;
  if (!valid) return 'invalid';
  return Number(exp) < ctx.now() ? 'expired' : 'ok';
}
