import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DecryptError, TokenCipher } from '../src/util/token-cipher.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('token encryption at rest', () => {
  it('round-trips and never stores the plaintext', () => {
    const c = new TokenCipher([k1]);
    const stored = c.encrypt('secret-access-token', 'grant:sandbox:alice:access');
    expect(stored).not.toContain('secret-access-token');
    expect(stored.startsWith('v1.k1.')).toBe(true);
    expect(c.decrypt(stored, 'grant:sandbox:alice:access')).toBe('secret-access-token');
  });
  it('uses a fresh 12-byte IV each time', () => {
    const c = new TokenCipher([k1]);
    const a = c.encrypt('same', 'ad');
    const b = c.encrypt('same', 'ad');
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split('.')[2]!, 'base64url')).toHaveLength(12);
  });
  it('refuses a ciphertext moved to another row (associated data)', () => {
    const c = new TokenCipher([k1]);
    const stored = c.encrypt('tok', 'grant:sandbox:alice:access');
    expect(() => c.decrypt(stored, 'grant:sandbox:mallory:access')).toThrow(DecryptError);
  });
  it('refuses a tampered ciphertext', () => {
    const c = new TokenCipher([k1]);
    const parts = c.encrypt('tok', 'ad').split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0]! ^= 1;
    parts[3] = ct.toString('base64url');
    expect(() => c.decrypt(parts.join('.'), 'ad')).toThrow(DecryptError);
  });
  it('refuses a value whose authentication tag was cut short (a short tag can be forged by trying)', () => {
    const c = new TokenCipher([k1]);
    const parts = c.encrypt('tok', 'ad').split('.');
    for (const bytes of [4, 8, 12, 15]) {
      const cut = [...parts];
      cut[4] = Buffer.from(parts[4]!, 'base64url').subarray(0, bytes).toString('base64url');
      expect(() => c.decrypt(cut.join('.'), 'ad'), `${bytes}-byte tag`).toThrow(DecryptError);
    }
    expect(c.decrypt(parts.join('.'), 'ad')).toBe('tok');
  });
  it('decrypts values written under an older key after rotation', () => {
    const old = new TokenCipher([k1]).encrypt('tok', 'ad');
    const rotated = new TokenCipher([k2, k1]);
    expect(rotated.decrypt(old, 'ad')).toBe('tok');
    expect(rotated.encrypt('tok', 'ad').startsWith('v1.k2.')).toBe(true);
    expect(() => new TokenCipher([k2]).decrypt(old, 'ad')).toThrow(/not configured/);
  });
});
