import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { redactUrl } from '../src/log.js';

describe('configuration', () => {
  it('has working defaults: SQLite in ./data, port 3000, Sandbox on', () => {
    const c = loadConfig({});
    expect(c.database.kind).toBe('sqlite');
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('http://127.0.0.1:3000');
    expect(c.sandbox.baseUrl).toBe('http://127.0.0.1:3000/sandbox');
    expect(c.connectRate).toEqual({ perIp: 120, perCampaign: 30_000 });
  });
  it('switches to PostgreSQL from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database.kind).toBe('postgres');
  });
  it('reports every bad value at once, without echoing secrets', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://user:hunter2@h/db',
        ENCRYPTION_KEYS: 'k:c2hvcnQ=',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'production',
        PUBLIC_URL: 'http://example.com',
        CONNECT_RATE_PER_IP: '0',
      });
      throw new Error('expected ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const p = (e as ConfigError).problems.join('\n');
      expect(p).toMatch(/PORT/);
      expect(p).toMatch(/DATABASE_URL/);
      expect(p).toMatch(/ENCRYPTION_KEYS/);
      expect(p).toMatch(/LOG_LEVEL/);
      expect(p).toMatch(/https in production/);
      expect(p).toMatch(/CONNECT_RATE_PER_IP/);
      expect(p).not.toContain('hunter2');
      expect(p).not.toContain('c2hvcnQ=');
    }
  });
  it('checks the fan-page settings (store-link look-ups, MusicKit wait) with the others, naming each', () => {
    let problems = '';
    try {
      loadConfig({
        LINK_LOOKUP_ENABLED: 'maybe',
        LINK_LOOKUP_POLL_MS: '0',
        ITUNES_LOOKUP_URL: 'ftp://itunes.example',
        ITUNES_COUNTRY: 'USA',
        ITUNES_LOOKUPS_PER_MINUTE: 'lots',
        DEEZER_PUBLIC_API_URL: 'api.deezer.com',
        DEEZER_LOOKUPS_PER_MINUTE: '0',
        ODESLI_ENABLED: 'perhaps',
        ODESLI_API_URL: 'song.link',
        ODESLI_API_KEY: 'odesli-secret-key',
        ODESLI_COUNTRY: '1',
        ODESLI_LOOKUPS_PER_MINUTE: '-5',
        APPLE_MUSIC_TEAM_ID: 'TEAM',
        APPLE_MUSIC_KEY_ID: 'KEY',
        APPLE_MUSIC_PRIVATE_KEY: 'pem',
        APPLE_MUSIC_AUTHORIZE_TIMEOUT_MS: 'forever',
      });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      problems = (e as ConfigError).problems.join('\n');
    }
    for (const line of [
      'LINK_LOOKUP_ENABLED must be true or false (got "maybe")',
      'LINK_LOOKUP_POLL_MS must be a whole number from 100 to 3600000 (got "0")',
      'ITUNES_LOOKUP_URL must be an http(s) URL (got "ftp://itunes.example")',
      'ITUNES_COUNTRY must be a two-letter country code such as US (got "USA")',
      'ITUNES_LOOKUPS_PER_MINUTE must be a whole number from 1 to 6000 (got "lots")',
      'DEEZER_PUBLIC_API_URL must be an http(s) URL (got "api.deezer.com")',
      'DEEZER_LOOKUPS_PER_MINUTE must be a whole number from 1 to 6000 (got "0")',
      'ODESLI_ENABLED must be true or false (got "perhaps")',
      'ODESLI_API_URL must be an http(s) URL (got "song.link")',
      'ODESLI_COUNTRY must be a two-letter country code such as US (got "1")',
      'ODESLI_LOOKUPS_PER_MINUTE must be a whole number from 1 to 6000 (got "-5")',
      'APPLE_MUSIC_AUTHORIZE_TIMEOUT_MS must be a whole number from 100 to 300000 (got "forever")',
    ])
      expect(problems).toContain(line);
    expect(problems).not.toContain('odesli-secret-key');
  });
  it('redacts OAuth secrets from logged URLs', () => {
    expect(redactUrl('/callback/sandbox?code=abc&state=def&x=1')).toBe('/callback/sandbox?code=[REDACTED]&state=[REDACTED]&x=1');
    expect(redactUrl('/w/x/campaigns/new?_csrf=tok&title=a')).toBe('/w/x/campaigns/new?_csrf=[REDACTED]&title=a');
    expect(redactUrl('/verify/abcdef?x=1')).toBe('/verify/[REDACTED]?x=1');
    expect(redactUrl('/p/rcpt_9f8e7d6c5b4a/erase?lang=de')).toBe('/p/[REDACTED]/erase?lang=de');
    expect(redactUrl('/f/AbCdEf123/stop')).toBe('/f/[REDACTED]/stop');
    expect(redactUrl('/n/AbCdEf123')).toBe('/n/[REDACTED]');
    // Only those capability addresses: a campaign whose slug starts with the same letter is kept.
    expect(redactUrl('/pop-single/listen/spotify')).toBe('/pop-single/listen/spotify');
  });
});
