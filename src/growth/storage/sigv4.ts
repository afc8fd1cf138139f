import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for S3 requests, signed in the Authorization header (docs/vault.md).
 * Small on purpose: one region, the `s3` service, headers only (no presigned query strings), and a
 * payload hash the caller gives (the file's sha256 for a PUT, the empty string's otherwise), so a
 * streamed body never has to be held to be signed. Checked against AWS's published example in
 * test/growth-blob-store.test.ts.
 */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface SigV4Request {
  method: string;
  /** The path as sent (already percent-encoded by {@link encodePath}). */
  path: string;
  /** Query parameters (none for the calls the store makes, kept for completeness). */
  query?: Record<string, string>;
  /** Lower-case names; `host` must be among them. Every header given is signed. */
  headers: Record<string, string>;
  payloadSha256: string;
  /** `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
}

export const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** RFC 3986 encoding of each path segment, as S3 expects ('/' kept). */
export function encodePath(p: string): string {
  return p
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** The Authorization header's value for `r`. */
export function authorization(c: SigV4Credentials, r: SigV4Request): string {
  const names = Object.keys(r.headers)
    .map((n) => n.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${lower[n]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  const query = Object.entries(r.query ?? {})
    .map(([k, v]) => [encodePath(k), encodePath(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [r.method, r.path, query, canonicalHeaders, signedHeaders, r.payloadSha256].join('\n');
  const day = r.amzDate.slice(0, 8);
  const scope = `${day}/${c.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', r.amzDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${c.secretAccessKey}`, day), c.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${c.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
