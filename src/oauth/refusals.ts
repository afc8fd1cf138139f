import type { MessageKey } from '../i18n/index.js';

/**
 * What a fan reads when a service sends them back with `error=…` instead of a code (RFC 6749
 * §4.1.2.1, plus OpenID Connect's sign-in errors). The service's own code never reaches the page:
 * it means nothing to a fan, and the operator finds it in the log. The words are in the fans'
 * catalog (i18n/messages/refusals), in every language.
 */
const DENIED = new Set(['access_denied', 'user_denied']);

const REFUSALS: Record<string, MessageKey> = {
  invalid_scope: 'refusals.invalid_scope',
  unauthorized_client: 'refusals.client_refused',
  invalid_client: 'refusals.client_refused',
  invalid_request: 'refusals.bad_request',
  unsupported_response_type: 'refusals.bad_request',
  server_error: 'refusals.server_error',
  temporarily_unavailable: 'refusals.temporarily_unavailable',
  login_required: 'refusals.sign_in_first',
  consent_required: 'refusals.consent_required',
  interaction_required: 'refusals.sign_in_first',
};

/** `denied` when the fan said no; otherwise the catalog key of the words for the fan. */
export function describeRefusal(error: string): { denied: true } | { denied: false; words: MessageKey } {
  if (DENIED.has(error)) return { denied: true };
  return { denied: false, words: Object.hasOwn(REFUSALS, error) ? REFUSALS[error]! : 'refusals.unknown' };
}

/**
 * Refusals the fan can do nothing about — the service will not let this server's app sign them
 * in (not set up there, not approved, not allowed these permissions): their page offers the
 * reminder and the calendar instead of only "try again" (web/views/refusal-page.ts).
 */
const NOTHING_TO_DO: ReadonlySet<MessageKey> = new Set<MessageKey>(['refusals.client_refused', 'refusals.invalid_scope']);

export function offersReminder(words: MessageKey): boolean {
  return NOTHING_TO_DO.has(words);
}
