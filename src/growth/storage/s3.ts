import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, request, type Dispatcher } from 'undici';
import type { GrowthConfig } from '../config.js';
import { isBlobKey } from './keys.js';
import { BlobStoreError, type BlobBody, type BlobStore, type ByteRange } from './store.js';
import { amzDate, authorization, EMPTY_SHA256, encodePath } from './sigv4.js';

export type S3Settings = NonNullable<GrowthConfig['storage']['s3']>;

/**
 * Blobs in S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, Backblaze B2…), spoken to
 * with undici and AWS Signature Version 4 (sigv4.ts) — no SDK. Uploads stream from the upload's
 * temporary file with its sha256 in the signature and an exact Content-Length; downloads stream
 * the object's bytes (a Range passed through), never held whole.
 *
 * Time limits: connecting and every wait for an answer's headers or its next bytes give up after
 * OUTBOUND_TIMEOUT_MS (undici's idle timers), so a stalled store never hangs a request; HEAD and
 * DELETE also have that as their whole budget, and a PUT has it plus one second per 256 KB (a 200 MB
 * file gets ~13 minutes even on a slow link). Failures become a BlobStoreError naming the call, the
 * key and what the store said (its error code), never the keys, a signature or the request's headers.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly #agent: Agent;

  constructor(
    private readonly s3: S3Settings,
    private readonly timeoutMs: number,
    /** Tests reach a virtual-host bucket name (bucket.localhost) through this. */
    o: { lookup?: LookupFunction } = {},
  ) {
    this.#agent = new Agent({
      connections: 32,
      keepAliveTimeout: 10_000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect: { timeout: Math.min(timeoutMs, 10_000), ...(o.lookup ? { lookup: o.lookup } : {}) },
    });
  }

  /** `endpoint/bucket/key` (path style) or `bucket.endpoint/key` (virtual host). */
  urlOf(key: string): URL {
    const base = new URL(this.s3.endpoint);
    const path = encodePath(`/${key}`);
    if (this.s3.pathStyle) return new URL(`${base.protocol}//${base.host}/${encodePath(this.s3.bucket)}${path}`);
    return new URL(`${base.protocol}//${this.s3.bucket}.${base.host}${path}`);
  }

  #checkKey(key: string): void {
    if (!isBlobKey(key)) throw new BlobStoreError(`not a blob key: ${JSON.stringify(key.slice(0, 80))}`);
  }

  async #send(
    method: 'GET' | 'HEAD' | 'PUT' | 'DELETE',
    key: string,
    o: { headers?: Record<string, string>; body?: Readable; sha256?: string; budgetMs?: number } = {},
  ): Promise<Dispatcher.ResponseData> {
    const url = this.urlOf(key);
    const headers: Record<string, string> = {
      host: url.host,
      'x-amz-date': amzDate(Date.now()),
      'x-amz-content-sha256': o.sha256 ?? EMPTY_SHA256,
      ...o.headers,
    };
    headers.authorization = authorization(this.s3, {
      method,
      path: url.pathname,
      headers,
      payloadSha256: headers['x-amz-content-sha256']!,
      amzDate: headers['x-amz-date']!,
    });
    // undici writes Host from the URL (the same value, signed above).
    delete headers.host;
    try {
      return await request(url, {
        method,
        headers,
        body: o.body ?? null,
        dispatcher: this.#agent,
        ...(o.budgetMs ? { signal: AbortSignal.timeout(o.budgetMs) } : {}),
      });
    } catch (err) {
      o.body?.destroy();
      const e = err as Error & { code?: string };
      const why =
        e.name === 'TimeoutError' || e.name === 'AbortError' || /timeout/i.test(e.code ?? '')
          ? `no answer within ${o.budgetMs ?? this.timeoutMs} ms`
          : (e.code ?? e.name);
      throw new BlobStoreError(`S3 ${method} ${key}: ${url.host} could not be reached (${why})`);
    }
  }

  /** The S3 error code of an answer's XML body (read bounded), never its other details. */
  async #codeOf(method: string, res: Dispatcher.ResponseData): Promise<string> {
    if (method === 'HEAD') {
      await res.body.dump();
      return '';
    }
    let text = '';
    for await (const chunk of res.body) {
      if (text.length < 4096) text += (chunk as Buffer).toString('utf8');
    }
    return /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(text)?.[1] ?? '';
  }

  /** A refusal in words: the call, the key, the status and the store's code. */
  #refusal(method: string, key: string, s: number, code: string): BlobStoreError {
    const what =
      s === 403
        ? `the store refused the credentials${code ? ` (${code})` : ''}: check S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and S3_REGION`
        : code === 'NoSuchBucket'
          ? `the bucket "${this.s3.bucket}" does not exist`
          : `the store answered ${s}${code ? ` ${code}` : ''}`;
    return new BlobStoreError(`S3 ${method} ${key}: ${what}`, s);
  }

  async #refused(method: string, key: string, res: Dispatcher.ResponseData): Promise<BlobStoreError> {
    return this.#refusal(method, key, res.statusCode, await this.#codeOf(method, res));
  }

  /**
   * For `dropday doctor`: a GET of a key that is not there. NoSuchKey means the endpoint, the bucket
   * and the credentials all work (a HEAD cannot tell a missing bucket from a missing key).
   */
  async probe(key: string): Promise<void> {
    this.#checkKey(key);
    const res = await this.#send('GET', key, { budgetMs: this.timeoutMs });
    if (res.statusCode === 200) return void (await res.body.dump());
    const code = await this.#codeOf('GET', res);
    if (res.statusCode === 404 && code !== 'NoSuchBucket') return;
    throw this.#refusal('GET', key, res.statusCode, code);
  }

  async put(key: string, file: string, o: { contentType: string; size: number; sha256?: string }): Promise<void> {
    this.#checkKey(key);
    const { size } = await fs.promises.stat(file);
    // A hash from the caller is used only when it is one (hex sha256); otherwise the file is read once for it.
    const sha256 = o.sha256 && /^[0-9a-f]{64}$/.test(o.sha256) ? o.sha256 : await sha256File(file);
    const res = await this.#send('PUT', key, {
      body: fs.createReadStream(file),
      sha256,
      headers: { 'content-length': String(size), 'content-type': o.contentType },
      budgetMs: this.timeoutMs + Math.ceil(size / 256),
    });
    if (res.statusCode !== 200) throw await this.#refused('PUT', key, res);
    await res.body.dump();
  }

  async get(key: string, range?: ByteRange): Promise<BlobBody | null> {
    this.#checkKey(key);
    const res = await this.#send('GET', key, range ? { headers: { range: `bytes=${range.start}-${range.end}` } } : {});
    if (res.statusCode === 404) {
      await res.body.dump();
      return null;
    }
    if (res.statusCode === 416) {
      // Past the end: no bytes, like reading a local file there.
      await res.body.dump();
      const size = totalOf(res.headers['content-range']) ?? (await this.size(key));
      return size === null ? null : { body: Readable.from([]), size };
    }
    if (res.statusCode !== 200 && res.statusCode !== 206) throw await this.#refused('GET', key, res);
    const size = totalOf(res.headers['content-range']) ?? Number(res.headers['content-length']);
    return { body: res.body, size };
  }

  async size(key: string): Promise<number | null> {
    this.#checkKey(key);
    const res = await this.#send('HEAD', key, { budgetMs: this.timeoutMs });
    if (res.statusCode === 404) {
      await res.body.dump();
      return null;
    }
    if (res.statusCode !== 200) throw await this.#refused('HEAD', key, res);
    await res.body.dump();
    return Number(res.headers['content-length']);
  }

  async delete(key: string): Promise<void> {
    this.#checkKey(key);
    const res = await this.#send('DELETE', key, { budgetMs: this.timeoutMs });
    if (res.statusCode !== 204 && res.statusCode !== 200 && res.statusCode !== 404) throw await this.#refused('DELETE', key, res);
    await res.body.dump();
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}

function totalOf(header: string | string[] | undefined): number | null {
  const m = typeof header === 'string' ? /\/(\d+)$/.exec(header) : null;
  return m ? Number(m[1]) : null;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}
