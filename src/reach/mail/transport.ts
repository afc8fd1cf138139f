import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { AppContext } from '../../context.js';
import type { SendOutcome } from '../messages/channel.js';
import { senderOf } from '../messages/compose/sender.js';
import { classifySmtpError } from './classify.js';

/**
 * Fan mail over SMTP (SMTP_URL): nodemailer with a pool of SMTP_POOL_SIZE connections kept open
 * (release night sends thousands), hard timeouts, DKIM signing when DKIM_* is configured, the
 * operator's sender identity (MAIL_FROM, named by MAIL_SENDER_NAME when it has no name) and
 * Reply-To (MAIL_REPLY_TO). Every fan message but the confirmation carries one-click unsubscribe
 * (RFC 8058: `List-Unsubscribe` + `List-Unsubscribe-Post`). The rate is the governor's
 * (`mail:smtp`, SMTP_RATE), not nodemailer's. Without SMTP_URL, `configured` is false and
 * nothing is sent: the kind records such messages as `not_sent` (never silently dropped).
 */
export interface FanMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The one-click unsubscribe address; null: no List-Unsubscribe (the confirmation). */
  unsubscribe: string | null;
}

export interface FanMailer {
  readonly configured: boolean;
  send(mail: FanMail): Promise<SendOutcome>;
  close(): void;
}

/** Time the longest SMTP conversation can take (connect + greeting + socket idle): a lease must outlast it. */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
export const MAX_SMTP_SEND_MS = SMTP_TIMEOUTS.connectionTimeout + SMTP_TIMEOUTS.greetingTimeout + SMTP_TIMEOUTS.socketTimeout;

export function createFanMailer(ctx: AppContext, smtpUrl: string | null = ctx.config.accounts.mail.smtpUrl): FanMailer {
  if (!smtpUrl)
    return {
      configured: false,
      send: () => Promise.resolve({ ok: false, kind: 'permanent', reason: 'no_mail_configured' }),
      close: () => {},
    };
  const { reach } = ctx.config;
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: reach.smtp.poolSize,
    // A connection is recycled after this many messages (nodemailer's default is 100).
    maxMessages: 500,
    ...SMTP_TIMEOUTS,
    ...(reach.dkim
      ? { dkim: { domainName: reach.dkim.domainName, keySelector: reach.dkim.keySelector, privateKey: reach.dkim.privateKey } }
      : {}),
  } satisfies SMTPPool.Options);
  return new SmtpFanMailer(transport, senderOf(ctx), reach.replyTo);
}

class SmtpFanMailer implements FanMailer {
  readonly configured = true;
  constructor(
    private readonly transport: Transporter,
    private readonly from: { name: string; address: string },
    private readonly replyTo: string | null,
  ) {}

  async send(m: FanMail): Promise<SendOutcome> {
    try {
      await this.transport.sendMail({
        from: this.from,
        to: m.to,
        ...(this.replyTo ? { replyTo: this.replyTo } : {}),
        subject: m.subject,
        text: m.text,
        html: m.html,
        ...(m.unsubscribe
          ? { headers: { 'List-Unsubscribe': `<${m.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }
          : {}),
      });
      return { ok: true };
    } catch (err) {
      return classifySmtpError(err);
    }
  }

  close(): void {
    this.transport.close();
  }
}
