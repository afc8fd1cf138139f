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
  not_allow_listed_title: 'This pre-save can’t use your {service} account',
  not_allow_listed:
    '{service} only lets this artist’s app save for a few listeners during its testing period, and your account is not one of them. Nothing was saved, and there is nothing you need to do on {service}.',
  offer_reminder: 'You can still hear it the day it is out: get a reminder instead, or put the release in your calendar.',
  remind_button: 'Remind me instead',
};
