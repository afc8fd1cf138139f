import { randomBytes } from 'node:crypto';
import type { Rng } from './random.js';

/**
 * What the fuzzer sends: text that has broken servers before (NUL, invalid UTF-8, lone
 * surrogates, line breaks, invisible characters, huge and numeric-looking values), as URL pieces
 * (percent-encoded) and as bodies of every shape a client can send.
 */

/** Percent-encoded pieces for paths, queries and form bodies. */
export const NASTY_ENCODED = [
  '%00',
  'a%00b',
  '%ED%A0%80', // a lone surrogate, encoded as UTF-8 (invalid)
  '%C3%28', // invalid UTF-8
  '%FF%FE',
  '%E2%82', // truncated sequence
  '%C0%AF', // overlong
  '%',
  '%zz',
  '%0D%0ALocation:%20https://evil.example',
  '%E2%80%8BSandbox', // zero-width space
  '%F0%9F%98%80',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '-1',
  '0',
  '1e309',
  '99999999999999999999999',
  'null',
  '__proto__',
  'constructor',
  'new',
  '%3Cscript%3Ealert(1)%3C/script%3E',
  'a'.repeat(3000),
  '',
];

/** Decoded text, for JSON and multipart bodies. */
export const NASTY_TEXT = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\r\nSet-Cookie: a=b',
  '\u200bSandbox',
  '\u202eevil',
  'é'.normalize('NFD'),
  '<b>hi</b>',
  'https://music.youtube.com/watch?v=a\r\nb',
  'https://music.youtube.com/\u0000x',
  ' ',
  '1',
  'x'.repeat(70_000),
];

/** Field names this app's forms and callbacks use (and a few that are not). */
export const FIELDS = [
  '_csrf',
  'email',
  'password',
  'next',
  'name',
  'slug',
  'kind',
  'role',
  'userId',
  'confirm',
  'artist',
  'title',
  'type',
  'upc',
  'isrcs',
  'releaseAt',
  'timezone',
  'timing',
  'services',
  'followArtist',
  'themeAccent',
  'themeBackground',
  'languages',
  'removeArtwork',
  'artist_sandbox',
  'match_sandbox',
  'link_youtube-music',
  'link_bandcamp',
  'state',
  'code',
  'error',
  'musicUserToken',
  'storefront',
  'request_id',
  'decision',
  'username',
  'grant_type',
  'client_id',
  'code_verifier',
  'redirect_uri',
  'refresh_token',
  'done',
  'ids',
  'uris',
  'q',
  'token',
  'esc',
  'service',
  'lang',
  'size',
  'channel',
  'url',
  'tz',
  'campaign',
  '__proto__',
  'a[b][c]',
  '',
];

/** Plausible values, so some requests get past the first check and into the handler. */
export const PLAUSIBLE = [
  'sandbox',
  'night-drive',
  'band',
  'The Band',
  'Night Drive',
  'GB-AAA-26-00001',
  '2031-01-01T00:00',
  'UTC',
  'local',
  'single',
  'editor',
  'owner@example.com',
  'correct horse battery',
  'https://music.youtube.com/playlist?list=OLAK5uy_x',
  'on',
  'allow',
  'authorization_code',
  'spotify',
  'de',
  'ar',
  '512',
  'merch',
];

export function encodedValue(rng: Rng): string {
  return rng.chance(0.6) ? rng.pick(NASTY_ENCODED) : encodeURIComponent(rng.pick(PLAUSIBLE));
}

export function textValue(rng: Rng): string | number | boolean | null | unknown[] | Record<string, unknown> {
  const r = rng.int(10);
  if (r < 5) return rng.pick(NASTY_TEXT);
  if (r < 7) return rng.pick(PLAUSIBLE);
  if (r === 7) return rng.pick([1, -1, 1.5, 1e308, 0]);
  if (r === 8) return rng.pick([true, null, [], ['a', 'b'], [1, [2]], {}, { a: { b: 'c' } }]);
  return deepArray(rng.pick([9, 20, 300]));
}

function deepArray(depth: number): unknown[] {
  let v: unknown[] = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

export function queryString(rng: Rng): string {
  const pairs = rng.some(FIELDS, 4).map((f) => `${encodeURIComponent(f)}=${encodedValue(rng)}`);
  if (rng.chance(0.1)) pairs.push(`${rng.pick(NASTY_ENCODED)}=1`);
  return pairs.join('&');
}

export interface Body {
  contentType?: string;
  payload: Buffer;
  kind: string;
}

const MULTIPART = 'multipart/form-data; boundary=fuzzBOUNDARY';

function multipartBody(rng: Rng): Buffer {
  const parts: Buffer[] = [];
  for (const f of rng.some(FIELDS, 6)) {
    const value = rng.chance(0.2) ? randomBytes(rng.int(40)) : Buffer.from(String(textValue(rng)));
    parts.push(Buffer.from(`--fuzzBOUNDARY\r\nContent-Disposition: form-data; name="${f}"\r\n\r\n`), value, Buffer.from('\r\n'));
  }
  if (rng.chance(0.3)) {
    parts.push(
      Buffer.from('--fuzzBOUNDARY\r\nContent-Disposition: form-data; name="artwork"; filename="x.png"\r\nContent-Type: image/png\r\n\r\n'),
      randomBytes(rng.int(2000)),
      Buffer.from('\r\n'),
    );
  }
  if (!rng.chance(0.15)) parts.push(Buffer.from('--fuzzBOUNDARY--\r\n')); // else: unterminated
  return Buffer.concat(parts);
}

/** A body of a random shape: forms (good and broken), JSON, multipart, other types, none, huge. */
export function body(rng: Rng): Body | null {
  switch (rng.int(12)) {
    case 0:
      return null;
    case 1:
    case 2:
      return { kind: 'form', contentType: 'application/x-www-form-urlencoded', payload: Buffer.from(queryString(rng)) };
    case 3:
      return {
        kind: 'form-raw-bytes',
        contentType: 'application/x-www-form-urlencoded',
        payload: Buffer.concat([Buffer.from('title='), randomBytes(8), Buffer.from('&email=a\u0000@x.io')]),
      };
    case 4: {
      const obj: Record<string, unknown> = {};
      for (const f of rng.some(FIELDS, 5)) obj[f] = textValue(rng);
      return {
        kind: 'json',
        contentType: 'application/json',
        payload: Buffer.from(JSON.stringify(rng.chance(0.2) ? textValue(rng) : obj)),
      };
    }
    case 5:
      return {
        kind: 'json-broken',
        contentType: 'application/json',
        payload: Buffer.from(
          rng.pick([
            '{',
            '[[[[[[',
            '{"a":"\\u0000"}',
            '{"state":"\\ud800"}',
            '"x"',
            'nul',
            '['.repeat(20_000),
            // Deep but valid: built as text (JSON.stringify would overflow the stack first).
            `{"title":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
          ]),
        ),
      };
    case 6:
    case 7:
      return { kind: 'multipart', contentType: rng.chance(0.9) ? MULTIPART : 'multipart/form-data', payload: multipartBody(rng) };
    case 8:
      return {
        kind: 'other-type',
        contentType: rng.pick([
          'text/plain',
          'application/octet-stream',
          'application/xml',
          'x/y; charset=utf-8',
          '',
          'application/x-www-form-urlencoded; charset=latin1',
        ]),
        payload: Buffer.from(`title=${rng.pick(NASTY_ENCODED)}`),
      };
    case 9:
      return { kind: 'no-type', payload: Buffer.from('title=x&email=a%00%40x.io') };
    case 10:
      return {
        kind: 'huge-form',
        contentType: 'application/x-www-form-urlencoded',
        payload: Buffer.from(`title=${'a'.repeat(70_000 + rng.int(200_000))}`),
      };
    default:
      return { kind: 'empty-form', contentType: 'application/x-www-form-urlencoded', payload: Buffer.alloc(0) };
  }
}
