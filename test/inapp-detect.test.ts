import { describe, expect, it } from 'vitest';
import { cachedVerdicts, detectInApp } from '../src/web/inapp/detect.js';
import { ESCAPE_ID_TTL_MS, EscapeIds, escapeLinks, needsRealBrowser } from '../src/web/inapp/escape.js';
import { INAPP_UA, ORDINARY_UA } from './helpers/user-agents.js';

describe('in-app browser detection', () => {
  it.each([
    ['instagramIos', 'instagram', 'ios'],
    ['instagramAndroid', 'instagram', 'android'],
    ['tiktokIos', 'tiktok', 'ios'],
    ['tiktokAndroid', 'tiktok', 'android'],
    ['facebookIos', 'facebook', 'ios'],
    ['facebookAndroid', 'facebook', 'android'],
    ['messengerIos', 'messenger', 'ios'],
    ['messengerAndroid', 'messenger', 'android'],
    ['snapchatIos', 'snapchat', 'ios'],
    ['twitterIos', 'twitter', 'ios'],
    ['threadsIos', 'threads', 'ios'],
    ['lineIos', 'line', 'ios'],
    ['lineAndroid', 'line', 'android'],
  ] as const)('%s → %s on %s', (name, kind, os) => {
    expect(detectInApp(INAPP_UA[name])).toEqual({ kind, os });
  });

  it.each(Object.entries(ORDINARY_UA))('%s is not an in-app browser', (_name, ua) => {
    expect(detectInApp(ua)).toBeNull();
  });

  it('link-preview fetchers named after the apps, other webviews and no UA are not rescued', () => {
    for (const ua of [
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Twitterbot/1.0',
      'Mozilla/5.0 (Linux; Android 13; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120 Mobile Safari/537.36 WA4A/2.24',
      '',
      undefined,
    ])
      expect(detectInApp(ua)).toBeNull();
  });

  it('remembers verdicts per UA in a bounded map', () => {
    for (let i = 0; i < 5000; i++) detectInApp(`${ORDINARY_UA.chromeDesktop} build/${i}`);
    expect(cachedVerdicts()).toBeLessThanOrEqual(2000);
    expect(detectInApp(INAPP_UA.instagramIos)).toEqual({ kind: 'instagram', os: 'ios' });
    // Longer than any real UA: answered, not kept.
    const before = cachedVerdicts();
    expect(detectInApp(`${INAPP_UA.tiktokIos} ${'x'.repeat(600)}`)).toEqual({ kind: 'tiktok', os: 'ios' });
    expect(cachedVerdicts()).toBe(before);
  });
});

describe('the escape step’s links and ids', () => {
  it('only Spotify and Apple Music need the real browser', () => {
    expect(['spotify', 'apple-music', 'tidal', 'deezer', 'sandbox'].filter(needsRealBrowser)).toEqual(['spotify', 'apple-music']);
  });

  it('escape ids are this server’s, for one campaign', () => {
    const ids = new EscapeIds(Buffer.alloc(32, 7));
    const now = Date.UTC(2026, 11, 5, 12);
    const esc = ids.issue(42, now);
    expect(esc).toMatch(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{16}$/);
    expect(ids.verify(42, esc, now)).toBe(esc);
    expect(ids.verify(43, esc, now)).toBeNull(); // another campaign's
    expect(new EscapeIds(Buffer.alloc(32, 8)).verify(42, esc, now)).toBeNull(); // another server's
    expect(ids.verify(42, `${esc.slice(0, 17)}${esc.at(17) === 'A' ? 'B' : 'A'}${esc.slice(18)}`, now)).toBeNull(); // forged
    for (const bad of [undefined, '', 'x', ['a'], `${esc}x`]) expect(ids.verify(42, bad, now)).toBeNull();
  });

  it('an escape id expires: an address shared after the hop does not count pre-saves as escapes for ever', () => {
    const ids = new EscapeIds(Buffer.alloc(32, 7));
    const now = Date.UTC(2026, 11, 5, 12);
    const esc = ids.issue(42, now);
    expect(ids.verify(42, esc, now + ESCAPE_ID_TTL_MS)).toBe(esc);
    expect(ids.verify(42, esc, now + ESCAPE_ID_TTL_MS + 1000)).toBeNull();
    expect(ids.verify(42, esc, now + 7 * 86_400_000)).toBeNull();
    // Issued by a clock far ahead (or an id made up with a future time): not ours to count.
    expect(ids.verify(42, esc, now - 10 * 60_000)).toBeNull();
    // Ids are different each time, even within the same second.
    expect(ids.issue(42, now)).not.toBe(esc);
  });

  it('the hop targets only the campaign’s own address on PUBLIC_URL', () => {
    const l = escapeLinks('https://drop.example/', 'neon', 'spotify', 'abcdefghijklmnop.qrstuvwxyzABCDEF');
    expect(l.url).toBe('https://drop.example/neon/escape/spotify?esc=abcdefghijklmnop.qrstuvwxyzABCDEF');
    expect(l.intent).toBe(
      'intent://drop.example/neon/escape/spotify?esc=abcdefghijklmnop.qrstuvwxyzABCDEF#Intent;scheme=https;' +
        `S.browser_fallback_url=${encodeURIComponent(l.url)};end`,
    );
    expect(l.line).toBe(`${l.url}&openExternalBrowser=1`);
  });
});
