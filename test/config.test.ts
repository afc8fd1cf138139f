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
  it('redacts OAuth secrets from logged URLs', () => {
    expect(redactUrl('/callback/sandbox?code=abc&state=def&x=1')).toBe('/callback/sandbox?code=[REDACTED]&state=[REDACTED]&x=1');
    expect(redactUrl('/w/x/campaigns/new?_csrf=tok&title=a')).toBe('/w/x/campaigns/new?_csrf=[REDACTED]&title=a');
    expect(redactUrl('/verify/abcdef?x=1')).toBe('/verify/[REDACTED]?x=1');
  });
});
