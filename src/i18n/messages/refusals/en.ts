/** A service's `error=` on a sign-in callback, in plain words (oauth/refusals.ts). */
export default {
  invalid_scope:
    'The streaming service refused the permissions this pre-save asks for, so nothing was saved. The artist’s Dropday server needs a setting changed; please try again later.',
  client_refused:
    'The streaming service does not let this Dropday server sign fans in (it is not set up correctly there), so nothing was saved. Please try again later.',
  bad_request:
    'The streaming service could not understand this sign-in request, so nothing was saved. Please start again from the campaign page.',
  server_error: 'The streaming service had a problem while signing you in, so nothing was saved. Please try again in a few minutes.',
  temporarily_unavailable:
    'The streaming service is busy and could not sign you in just now, so nothing was saved. Please try again in a few minutes.',
  sign_in_first: 'The streaming service needs you to sign in to it first. Nothing was saved; please start again.',
  consent_required: 'The streaming service needs you to allow access. Nothing was saved; please start again.',
  unknown: 'The streaming service refused this sign-in without saying why, so nothing was saved. Please try again.',
};
