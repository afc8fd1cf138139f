import http from 'node:http';
import { waitFor } from '../../helpers/wait.js';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, and whether each secret it knows verified it (standardwebhooks). */
export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The parsed payload when the first secret verified the request (else null). */
  payload: { type: string; timestamp: string; data: Record<string, unknown> } | null;
  /** Per secret given to `verifyWith`: verified or the library's error. */
  verdicts: (true | string)[];
}

/**
 * A webhook receiver for tests, on 127.0.0.1: verifies every request with the `standardwebhooks`
 * library (`new Webhook(secret).verify(body, headers)`) against the secrets it is given, records
 * it, and answers what `answer` says (200 by default; a status, or a redirect).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  secrets: string[] = [];
  answer: (r: Received) => { status: number; location?: string; body?: string } = () => ({ status: 200 });
  /** How long each answer takes (a slow receiver: the request is recorded at once, answered later). */
  delayMs = 0;
  private server!: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
        const verdicts = this.secrets.map((s) => {
          try {
            new Webhook(s).verify(body, headers);
            return true as const;
          } catch (err) {
            return (err as Error).message;
          }
        });
        let payload: Received['payload'] = null;
        if (verdicts[0] === true) payload = JSON.parse(body) as Received['payload'];
        const r: Received = { path: req.url ?? '/', headers, body, payload, verdicts };
        this.received.push(r);
        const a = this.answer(r);
        setTimeout(() => {
          res.writeHead(a.status, { 'content-type': 'text/plain', ...(a.location ? { location: a.location } : {}) });
          res.end(a.body ?? 'ok');
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The verified events of a type, in arrival order. */
  events(type: string): Received[] {
    return this.received.filter((r) => r.payload?.type === type);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** {@link waitFor} for a value that is there once the wait is over (typed without its absence). */
export async function found<T>(check: () => Promise<T | null | undefined | false>, opts?: Parameters<typeof waitFor>[1]): Promise<T> {
  return (await waitFor(check, opts)) as T;
}
