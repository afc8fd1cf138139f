import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Key } from './token-cipher.js';

/**
 * The token-encryption keys: from ENCRYPTION_KEYS, or else a key generated once into the data
 * directory (mode 0600) with a warning, so a first run works and an operator is told to move it.
 */
export function loadEncryptionKeys(config: Config, log: Logger): Key[] {
  if (config.encryptionKeys) return config.encryptionKeys;
  const file = path.join(config.dataDir, 'encryption.key');
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8').trim();
    const [id, b64] = text.split(':');
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!id || key.length !== 32) throw new Error(`${file} is not a valid key file (expected id:base64 of 32 bytes)`);
    return [{ id, key }];
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  const id = `k${Date.now().toString(36)}`;
  fs.writeFileSync(file, `${id}:${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  log.warn(
    { file },
    'ENCRYPTION_KEYS is not set: generated a token-encryption key in the data directory. Back it up; ' +
      'without it stored fan grants cannot be decrypted. In production set ENCRYPTION_KEYS instead.',
  );
  return [{ id, key }];
}
