import { Agent, request } from 'undici';
import { ProviderError } from './types.js';

/**
 * Outbound HTTP for adapters: one connection pool per service, a hard timeout on every call
 * (undici's own default is 300 s), and network failures classified as transient.
 */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export class HttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly serviceName: string,
    private readonly timeoutMs: number,
  ) {
    this.agent = new Agent({
      connections: 64,
      keepAliveTimeout: 10_000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connectTimeout: Math.min(timeoutMs, 10_000),
    });
  }

  async send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    opts: { headers?: Record<string, string>; body?: string; maxBytes?: number } = {},
  ): Promise<HttpResponse> {
    try {
      const res = await request(url, {
        method,
        dispatcher: this.agent,
        headers: opts.headers ?? {},
        body: opts.body ?? null,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = opts.maxBytes === undefined ? await res.body.text() : await this.cappedText(res.body, opts.maxBytes);
      return { status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      const e = err as Error & { code?: string };
      const what =
        e.name === 'TimeoutError' || /timeout/i.test(e.code ?? '') ? `timed out after ${this.timeoutMs} ms` : (e.code ?? e.message);
      throw new ProviderError('transient', `${this.serviceName} could not be reached: ${what}`);
    }
  }

  /** The body as text, refused once it passes `maxBytes` (an answer that size is not what was asked for, and would sit in memory whole). */
  private async cappedText(body: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > maxBytes) {
        body.destroy();
        throw new ProviderError('transient', `${this.serviceName} answered more than ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
    return new TextDecoder().decode(Buffer.concat(chunks)); // as body.text(): UTF-8, a byte-order mark dropped
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** Retry-After as an absolute time: seconds, or an HTTP date; `fallbackMs` when absent or odd. */
export function retryAtFrom(header: string | string[] | undefined, now: number, fallbackMs = 30_000): number {
  const v = Array.isArray(header) ? header[0] : header;
  if (v && /^\d+$/.test(v.trim())) return now + Number(v.trim()) * 1000;
  const date = v ? Date.parse(v) : NaN;
  return Number.isFinite(date) && date > now ? date : now + fallbackMs;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
