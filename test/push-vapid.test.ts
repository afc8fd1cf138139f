import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import webpush from 'web-push';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog } from '../src/accounts/testing.js';
import { loadConfig } from '../src/config.js';
import { loadVapidKeys } from '../src/reach/push/vapid.js';

/** VAPID keys: configured, or generated once into DATA_DIR (0600, with a warning) and kept. */
describe('VAPID keys', () => {
  const dirs: string[] = [];
  const config = (env: Record<string, string> = {}) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-vapid-'));
    dirs.push(dir);
    return loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, DEMO: 'false', ...env });
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('without configuration: generated once into DATA_DIR/vapid.json (mode 0600) with a warning, then reused', () => {
    const c = config();
    const { log, lines } = captureLog();
    const first = loadVapidKeys(c, log);
    const file = path.join(c.dataDir, 'vapid.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(lines.some((l) => l.includes('VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY are not set'))).toBe(true);
    expect(first.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    expect(loadVapidKeys(c, log)).toEqual(first);
    // The file holds no more than the pair.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(first);
  });

  it('configured keys are used as they are, and nothing is written', () => {
    const pair = webpush.generateVAPIDKeys();
    const c = config({ VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey });
    expect(loadVapidKeys(c, captureLog().log)).toEqual(pair);
    expect(fs.existsSync(path.join(c.dataDir, 'vapid.json'))).toBe(false);
  });

  it('a broken key file is an error that names the file, not a new key pair', () => {
    const c = config();
    fs.writeFileSync(path.join(c.dataDir, 'vapid.json'), '{"publicKey":"x"}');
    expect(() => loadVapidKeys(c, captureLog().log)).toThrow(/vapid\.json is not a valid VAPID key file/);
  });

  it('the VAPID subject: https PUBLIC_URL, else mailto: postmaster of its host; a bad VAPID_SUBJECT is refused', () => {
    expect(config({ PUBLIC_URL: 'https://presave.example.com' }).reach.push.subject).toBe('https://presave.example.com');
    expect(config({ PUBLIC_URL: 'http://127.0.0.1:3000' }).reach.push.subject).toBe('mailto:postmaster@127.0.0.1');
    expect(() => config({ VAPID_SUBJECT: 'http://insecure.example' })).toThrow(/VAPID_SUBJECT must be a mailto: or https: address/);
  });
});
