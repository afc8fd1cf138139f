import type { MessageChannel, MessageType } from '../db/schema-reach.js';

/**
 * The reach report in plain words, shared by the dashboard panel and `dropday status`. The message
 * engine records a short code in `messages.failure_reason`; the artist reads what it means. Codes
 * are matched loosely (a prefix or a word) so a detail after the code (`bounced: 550 5.1.1`) keeps
 * its meaning; anything unknown is shown as it is, never hidden.
 */
export interface MessageFailureWords {
  /** Stable key for tests and CSS. */
  kind: 'bounced' | 'no_mail' | 'no_push' | 'push_gone' | 'gave_up' | 'refused' | 'unknown';
  what: string;
}

const RULES: { test: RegExp; words: MessageFailureWords }[] = [
  {
    test: /^(no_mail_configured|not_sent)\b/i,
    words: { kind: 'no_mail', what: 'Not sent: no mail server is configured on this Dropday server (ask its operator to set SMTP_URL)' },
  },
  {
    test: /^no_push_configured\b/i,
    words: { kind: 'no_push', what: 'Not sent: web push is not set up on this Dropday server (ask its operator)' },
  },
  {
    test: /bounce|mailbox|permanent|^5\d\d\b/i,
    words: { kind: 'bounced', what: 'Bounced: the fan’s mail server refused the address, so it is no longer written to' },
  },
  {
    test: /^gone\b|subscription.*(gone|expired)|\b(404|410)\b/i,
    words: { kind: 'push_gone', what: 'Push subscription gone: the browser unsubscribed or the subscription expired, so it was removed' },
  },
  {
    // The engine's `retries_exhausted`, and older or looser spellings.
    test: /retries_exhausted|gave_up|give_up|max_failures|retries|transient|timeout|temporar/i,
    words: { kind: 'gave_up', what: 'Gave up after retries: the mail server or push service kept failing' },
  },
  {
    test: /refused|rejected|invalid|forbidden/i,
    words: { kind: 'refused', what: 'Refused by the mail server or push service' },
  },
];

export function explainMessageFailure(code: string): MessageFailureWords {
  for (const r of RULES) if (r.test.test(code)) return r.words;
  return { kind: 'unknown', what: code ? `Failed: ${code}` : 'Failed (no reason recorded)' };
}

export const CHANNEL_LABELS: Record<MessageChannel, string> = { email: 'Email', push: 'Web push' };

export const TYPE_LABELS: Record<MessageType, string> = {
  confirm: 'Address confirmation',
  out_now: 'Out now (release day)',
  reauth: 'Re-authorize reminder',
  forever_notice: 'Forever save notice',
};
