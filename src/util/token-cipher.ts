import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (OAuth tokens, PKCE verifiers).
 *
 * Stored form: `v1.<keyId>.<iv b64url>.<ciphertext b64url>.<tag b64url>`. The key id lets old
 * values decrypt after the active key is rotated. The caller passes associated data naming the
 * row and column (e.g. `grant:42:refresh`), so a ciphertext copied into another row fails to
 * decrypt instead of silently granting another fan's access.
 */
export interface Key {
  id: string;
  key: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt stored secret: ${reason}`);
    this.name = 'DecryptError';
  }
}

export class TokenCipher {
  private readonly byId: Map<string, Buffer>;
  private readonly active: Key;

  constructor(keys: Key[]) {
    if (keys.length === 0) throw new Error('TokenCipher needs at least one key');
    for (const k of keys) {
      if (k.key.length !== 32) throw new Error(`encryption key ${k.id} must be 32 bytes`);
      if (!/^[A-Za-z0-9_-]+$/.test(k.id)) throw new Error('encryption key ids must be url-safe');
    }
    this.active = keys[0]!;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  encrypt(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', this.active.id, b64(iv), b64(ct), b64(tag)].join('.');
  }

  decrypt(stored: string, associatedData: string): string {
    const parts = stored.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new DecryptError('unknown format');
    const [, keyId, ivS, ctS, tagS] = parts as [string, string, string, string, string];
    const key = this.byId.get(keyId);
    if (!key) throw new DecryptError(`key "${keyId}" is not configured`);
    const iv = Buffer.from(ivS, 'base64url');
    const tag = Buffer.from(tagS, 'base64url');
    // GCM accepts shorter tags (down to 4 bytes) unless told otherwise, and a short tag can be forged
    // by trying: only the full 16 bytes we write are accepted.
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptError('malformed value (wrong IV or tag length)');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(ctS, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptError('authentication failed (wrong key, or the value was moved or altered)');
    }
  }
}

function b64(b: Buffer): string {
  return b.toString('base64url');
}
