import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

/**
 * A real SMTP server for tests (`smtp-server`, from the nodemailer project): Dropday's mail goes
 * through a full SMTP conversation and each message is parsed as received (`mailparser`). A test
 * can make recipients fail: `reject(address, 550)` answers RCPT with a permanent error (a bounce),
 * `reject(address, 451)` with a temporary one.
 */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  raw: string;
  parsed: ParsedMail;
  /** A header's value as sent (unfolded), by name in any case. */
  header(name: string): string | undefined;
  /** Every http(s) link in the plain-text part, in order. */
  links(): string[];
}

export interface MailServer {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Mail to `address` (lower-case) from now on; resolves when one arrives (rejects after `timeoutMs`). */
  next(address: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** Answer RCPT for this address with `code` (550: permanent, 451: try later); null clears it. */
  reject(address: string, code: 550 | 451 | null): void;
  close(): Promise<void>;
}

export async function startMailServer(): Promise<MailServer> {
  const received: ReceivedMail[] = [];
  const rejects = new Map<string, number>();
  const waiters: { address: string; resolve: (m: ReceivedMail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const code = rejects.get(address.address.toLowerCase());
      if (code) {
        const err = Object.assign(new Error(code === 550 ? 'mailbox unavailable' : 'try again later'), { responseCode: code });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            const mail: ReceivedMail = {
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              },
              raw,
              parsed,
              header(name) {
                // The header as sent (unfolded): mailparser turns some (List-*, addresses) into objects.
                const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
                return line === undefined
                  ? undefined
                  : line
                      .slice(line.indexOf(':') + 1)
                      .replace(/\r?\n[ \t]+/g, ' ')
                      .trim();
              },
              links() {
                return [...(parsed.text ?? '').matchAll(/https?:\/\/[^\s<>"]+/g)].map((m) => m[0]);
              },
            };
            received.push(mail);
            for (const w of [...waiters]) {
              if (mail.envelope.to.includes(w.address)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(mail);
              }
            }
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    next(address, timeoutMs = 20_000) {
      const a = address.toLowerCase();
      const seen = received.length;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no mail to ${a} within ${timeoutMs} ms (${received.length - seen} others)`)),
          timeoutMs,
        );
        waiters.push({
          address: a,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    reject(address, code) {
      if (code === null) rejects.delete(address.toLowerCase());
      else rejects.set(address.toLowerCase(), code);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
