/**
 * What a fan reads when a service sends them back with `error=…` instead of a code (RFC 6749
 * §4.1.2.1, plus OpenID Connect's sign-in errors). The service's own code never reaches the page:
 * it means nothing to a fan, and the operator finds it in the log.
 */
const DENIED = new Set(['access_denied', 'user_denied']);

const REFUSALS: Record<string, string> = {
  invalid_scope:
    'The streaming service refused the permissions this pre-save asks for, so nothing was saved. The artist’s Dropday server needs a setting changed; please try again later.',
  unauthorized_client:
    'The streaming service does not let this Dropday server sign fans in (it is not set up correctly there), so nothing was saved. Please try again later.',
  invalid_client:
    'The streaming service does not let this Dropday server sign fans in (it is not set up correctly there), so nothing was saved. Please try again later.',
  invalid_request:
    'The streaming service could not understand this sign-in request, so nothing was saved. Please start again from the campaign page.',
  unsupported_response_type:
    'The streaming service could not understand this sign-in request, so nothing was saved. Please start again from the campaign page.',
  server_error: 'The streaming service had a problem while signing you in, so nothing was saved. Please try again in a few minutes.',
  temporarily_unavailable:
    'The streaming service is busy and could not sign you in just now, so nothing was saved. Please try again in a few minutes.',
  login_required: 'The streaming service needs you to sign in to it first. Nothing was saved; please start again.',
  consent_required: 'The streaming service needs you to allow access. Nothing was saved; please start again.',
  interaction_required: 'The streaming service needs you to sign in to it first. Nothing was saved; please start again.',
};

const UNKNOWN = 'The streaming service refused this sign-in without saying why, so nothing was saved. Please try again.';

/** `denied` when the fan said no; otherwise the words for the fan. */
export function describeRefusal(error: string): { denied: true } | { denied: false; message: string } {
  if (DENIED.has(error)) return { denied: true };
  return { denied: false, message: Object.hasOwn(REFUSALS, error) ? REFUSALS[error]! : UNKNOWN };
}
