import { createHmac, hkdfSync } from 'node:crypto';
import type { AppContext } from '../context.js';
import { loadEncryptionKeys } from '../util/keys.js';
import { safeEqual } from '../util/random.js';

/**
 * Keys derived from the server's encryption key for reaching fans: the keyed hash that finds an
 * address without decrypting any (`contacts.email_hash`, `push_subscriptions.endpoint_hash`), and
 * signatures for links in messages (confirmation). Derived from the *oldest* configured key, so
 * putting a new key first in ENCRYPTION_KEYS (rotation) changes neither hashes nor live links.
 */
export class ReachKeys {
  readonly #hashKey: Buffer;
  readonly #signKey: Buffer;
  constructor(secret: Buffer) {
    this.#hashKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'dropday reach hash v1', 32));
    this.#signKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'dropday reach sign v1', 32));
  }

  /** The look-up hash of a normalized value (an address, a push endpoint). */
  hash(kind: 'email' | 'push' | 'account' | 'browser' | 'device' | 'network', normalized: string): string {
    return createHmac('sha256', this.#hashKey).update(`${kind}:${normalized}`).digest('base64url');
  }

  /** `<payload>.<mac>`: the payload is readable, only this server can make the pair. */
  sign(purpose: string, payload: string): string {
    return `${payload}.${this.#mac(purpose, payload)}`;
  }

  /** The payload of a signed value made for `purpose`, or null when forged or for another purpose. */
  verify(purpose: string, signed: string): string | null {
    const dot = signed.lastIndexOf('.');
    if (dot <= 0) return null;
    const payload = signed.slice(0, dot);
    return safeEqual(signed.slice(dot + 1), this.#mac(purpose, payload)) ? payload : null;
  }

  #mac(purpose: string, payload: string): string {
    return createHmac('sha256', this.#signKey).update(`${purpose}\n${payload}`).digest('base64url').slice(0, 27);
  }
}

const byContext = new WeakMap<AppContext, ReachKeys>();

export function reachKeys(ctx: AppContext): ReachKeys {
  let keys = byContext.get(ctx);
  if (!keys) {
    const all = loadEncryptionKeys(ctx.config, ctx.log);
    keys = new ReachKeys(all[all.length - 1]!.key);
    byContext.set(ctx, keys);
  }
  return keys;
}
