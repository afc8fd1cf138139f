import { isIP } from 'node:net';
import { Agent, buildConnector, errors, request } from 'undici';
import { addressRefusal, resolveAll, TargetRefusedError } from './targets.js';

/** What a receiver answered (or why nothing was). */
export type PostResult =
  { kind: 'answered'; status: number; excerpt: string } | { kind: 'refused'; reason: string } | { kind: 'network'; reason: string };

export interface SafePostOptions {
  /** Loopback and private addresses allowed (WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  allowPrivate: boolean;
  connectTimeoutMs?: number;
  /** The whole request: connect, send, headers and the capped body. */
  timeoutMs?: number;
  /** How much of the answer is kept for the delivery log. */
  maxExcerptBytes?: number;
  /** Name resolution (tests point a name at 127.0.0.1 through it); the system resolver by default. */
  resolve?: (host: string) => Promise<string[]>;
}

/**
 * POSTs one webhook safely (docs/webhooks.md "Safe targets"). The connection is made by our own
 * connector: it resolves the name, refuses loopback, private, link-local (cloud metadata),
 * CGNAT, multicast and IPv4-mapped forms of them, and connects to the very address it checked —
 * so a name that answers a public address to one lookup and 127.0.0.1 to the next (DNS rebinding)
 * gains nothing. Redirects are never followed (undici's `request` does not, and a 3xx is a failed
 * delivery), every phase has a timeout, and only the first few KiB of the answer are read.
 */
export class SafePoster {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly maxExcerptBytes: number;

  constructor(private readonly opts: SafePostOptions) {
    const connectTimeout = opts.connectTimeoutMs ?? 5_000;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxExcerptBytes = opts.maxExcerptBytes ?? 4096;
    const base = buildConnector({ timeout: connectTimeout });
    const resolve = opts.resolve ?? resolveAll;
    this.agent = new Agent({
      connections: 8,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      connect: (o, cb) => {
        const host = o.hostname.replace(/^\[|\]$/g, '');
        const addresses = isIP(host) ? Promise.resolve([host]) : resolve(host);
        addresses.then(
          (list) => {
            const address = list[0];
            if (!address) return cb(new TargetRefusedError(`${host} does not resolve`), null);
            if (!opts.allowPrivate) {
              // Every answer is checked: a resolver may rotate them between connections.
              for (const a of list) {
                const r = addressRefusal(a);
                if (r) return cb(new TargetRefusedError(a === host ? `${host} is ${r}` : `${host} resolves to ${a}, ${r}`), null);
              }
            }
            // TLS still names the host (SNI, certificate check); the socket goes to the checked address.
            base({ ...o, hostname: address, servername: o.servername ?? (isIP(host) ? undefined : host) }, cb);
          },
          () => cb(new TargetRefusedError(`${host} does not resolve`), null),
        );
      },
    });
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    try {
      const res = await request(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'user-agent': 'Dropday-Webhooks/1', ...headers },
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const excerpt = await this.readCapped(res.body);
      return { kind: 'answered', status: res.statusCode, excerpt };
    } catch (err) {
      const e = err as Error & { code?: string; cause?: unknown };
      const refused = e instanceof TargetRefusedError ? e : e.cause instanceof TargetRefusedError ? e.cause : null;
      if (refused) return { kind: 'refused', reason: refused.reason };
      return { kind: 'network', reason: networkWords(e) };
    }
  }

  /** Closes the pool once: a worker may be stopped twice (a test, then its server). */
  close(): Promise<void> {
    this.closed ??= this.agent.close();
    return this.closed;
  }

  private closed: Promise<void> | undefined;

  private async readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of body) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= this.maxExcerptBytes) break;
      }
    } catch {
      // The answer's status is what counts; a body cut off mid-way is kept as far as it came.
    } finally {
      body.destroy();
    }
    return Buffer.concat(chunks).subarray(0, this.maxExcerptBytes).toString('utf8');
  }
}

/** A network failure in words for the delivery log (never the URL: it may carry a secret). */
function networkWords(e: Error & { code?: string }): string {
  if (e.name === 'TimeoutError' || e instanceof errors.HeadersTimeoutError || e instanceof errors.BodyTimeoutError) return 'timed out';
  if (e instanceof errors.ConnectTimeoutError) return 'connection timed out';
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection reset';
    case 'ENOTFOUND':
      return 'the name does not resolve';
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'its TLS certificate is not valid';
    default:
      return e.code ? `network error (${e.code})` : 'network error';
  }
}
