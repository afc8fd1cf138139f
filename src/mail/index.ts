import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';

/**
 * Outgoing mail. With SMTP_URL set, messages go through that SMTP server (nodemailer). Without it
 * — development and tests — each message is written to the log at info level, links included, so
 * a person running Dropday locally can copy a reset or invitation link from the terminal.
 */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The one link the message is about, logged on its own so it is easy to find. */
  link?: string;
}

export interface Mailer {
  readonly kind: 'smtp' | 'log';
  send(message: MailMessage): Promise<void>;
}

export function createMailer(opts: { smtpUrl: string | null; from: string; log: Logger }): Mailer {
  if (opts.smtpUrl) {
    // Every outbound call has a timeout: a mail server that hangs must not hold a page or the
    // worker for nodemailer's defaults (2 minutes to connect, 10 idle).
    const transport = nodemailer.createTransport({
      url: opts.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    return new SmtpMailer(transport, opts.from);
  }
  return new LogMailer(opts.log);
}

class SmtpMailer implements Mailer {
  readonly kind = 'smtp' as const;
  constructor(
    private readonly transport: Transporter,
    private readonly from: string,
  ) {}

  async send(m: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.text });
  }
}

class LogMailer implements Mailer {
  readonly kind = 'log' as const;
  constructor(private readonly log: Logger) {}

  async send(m: MailMessage): Promise<void> {
    this.log.info(
      { mail: { to: m.to, subject: m.subject, link: m.link ?? null } },
      `mail (SMTP_URL not set, logged instead): ${m.subject}\n${m.text}`,
    );
  }
}
