import type { SendOutcome } from '../messages/channel.js';

/**
 * An SMTP failure (nodemailer's error) → what the message kind does with it:
 * - a 5xx answer to RCPT TO (550 mailbox unavailable, 551, 553…): the address cannot receive
 *   mail → `permanent`, and the contact is suppressed;
 * - anything else — 4xx (451 try later, 421 busy), a refused or dropped connection, a timeout,
 *   an error on DATA or in authentication (the relay's or the operator's, not the address's) —
 *   → `transient`: retried with backoff until MESSAGE_MAX_FAILURES.
 * The reason names the code, never the address (SMTP answers often quote it).
 */
interface SmtpError {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

export function classifySmtpError(err: unknown): Exclude<SendOutcome, { ok: true }> {
  const e = (err ?? {}) as SmtpError;
  const status = typeof e.responseCode === 'number' ? e.responseCode : null;
  const onRecipient = e.code === 'EENVELOPE' || /RCPT/i.test(e.command ?? '');
  if (status !== null && status >= 500 && status < 600 && onRecipient) {
    return { ok: false, kind: 'permanent', reason: `smtp ${status}: ${scrub(e.response ?? e.message ?? '')}` };
  }
  if (status !== null) return { ok: false, kind: 'transient', reason: `smtp ${status}: ${scrub(e.response ?? e.message ?? '')}` };
  return { ok: false, kind: 'transient', reason: `${e.code ?? 'error'}: ${scrub(e.message ?? String(err))}` };
}

/** No addresses in reasons (they are stored and logged): anything shaped like one is replaced. */
export function scrub(text: string): string {
  return text
    .replace(/<?[^\s<>@]+@[^\s<>@]+>?/g, '<address>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}
