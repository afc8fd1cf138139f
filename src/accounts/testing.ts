import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino, { type Logger } from 'pino';

/**
 * Test support for accounts (used by test/auth-*, test/workspace-*, test/accounts-*; never loaded
 * by the app): a cookie-keeping client over inject() that picks up CSRF tokens from the pages it
 * gets, and a logger that keeps the mails the log mailer writes.
 */
export class InjectAgent {
  readonly cookies = new Map<string, string>();
  csrf: string | null = null;
  constructor(
    private readonly app: FastifyInstance,
    readonly remoteAddress = '127.0.0.1',
  ) {}

  private remember(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.app.inject({ method: 'GET', url, cookies: Object.fromEntries(this.cookies), headers, remoteAddress: this.remoteAddress }),
    );
  }

  /** A form POST; `_csrf` is the last token seen unless given (or `csrf: false` to send none). */
  async post(
    url: string,
    form: Record<string, string> = {},
    opts: { csrf?: string | false; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const fields = { ...form };
    if (opts.csrf !== false && !('_csrf' in fields)) {
      const token = opts.csrf ?? this.csrf;
      if (token) fields._csrf = token;
    }
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        cookies: Object.fromEntries(this.cookies),
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
        payload: new URLSearchParams(fields).toString(),
        remoteAddress: this.remoteAddress,
      }),
    );
  }
}

export interface CapturedMail {
  to: string;
  subject: string;
  link: string | null;
}

/** A pino logger at info level that keeps every line; `mails()` returns what the log mailer wrote. */
export function captureLog(): { log: Logger; lines: string[]; mails(): CapturedMail[]; lastLinkTo(email: string): string } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const log = pino({ level: 'info' }, stream);
  const mails = () =>
    lines
      .map((l) => JSON.parse(l) as { mail?: CapturedMail })
      .filter((e): e is { mail: CapturedMail } => !!e.mail)
      .map((e) => e.mail);
  return {
    log,
    lines,
    mails,
    lastLinkTo(email: string) {
      const m = mails()
        .filter((x) => x.to === email && x.link)
        .pop();
      if (!m?.link) throw new Error(`no mail with a link to ${email} in the log`);
      return m.link;
    },
  };
}
