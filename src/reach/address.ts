import { domainToASCII } from 'node:url';

/**
 * Email addresses as fans type them → one normalized form (what is hashed, stored and mailed):
 * trimmed, NFC, domain lower-cased and in ASCII (IDNA), local part kept as typed (RFC 5321 lets a
 * server tell `Ann` from `ann`; every common provider does not, so the hash folds it too —
 * `lookupForm`). Returns a reason when the address cannot be mailed.
 */
export type AddressCheck = { ok: true; address: string; lookup: string } | { ok: false; reason: 'empty' | 'too_long' | 'invalid' };

const LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+$/u;

export function normalizeEmail(input: string): AddressCheck {
  const trimmed = input.normalize('NFC').trim();
  if (!trimmed) return { ok: false, reason: 'empty' };
  if (trimmed.length > 254) return { ok: false, reason: 'too_long' };
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return { ok: false, reason: 'invalid' };
  const local = trimmed.slice(0, at);
  const domainInput = trimmed.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return { ok: false, reason: 'invalid' };
  }
  const domain = domainToASCII(domainInput);
  if (!domain || !/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(domain)) {
    return { ok: false, reason: 'invalid' };
  }
  const address = `${local}@${domain}`;
  return { ok: true, address, lookup: `${local.toLowerCase()}@${domain}` };
}
