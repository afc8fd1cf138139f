/** The Apple Music connect page (MusicKit JS), its script's words, and its callback's errors. */
export default {
  title: 'Pre-save {title} on Apple Music',
  heading: 'Pre-save on Apple Music',
  continue: 'Continue with Apple Music',
  loading: 'Loading Apple Music…',
  needs_javascript: 'Apple Music sign-in needs JavaScript. Please turn it on, or pre-save on another service.',
  apple_asks: 'Apple asks you to allow “{app}” to access your Apple Music library. Dropday only adds this release to it.',
  ready: 'Click the button to sign in with Apple Music.',
  start_failed: 'Apple Music could not be started. Please try again later, or pre-save on another service.',
  load_failed: 'Apple Music could not be loaded. Check your connection or content blocker, then reload this page.',
  waiting: 'Waiting for Apple Music…',
  saving: 'Saving your pre-save…',
  record_failed: 'Dropday could not record your pre-save. Please start again.',
  unreachable: 'Dropday could not be reached. Please check your connection and start again.',
  denied: 'You did not allow access in Apple Music, so nothing was saved. You can try again, or go back.',
  not_set_up: 'Apple Music is not set up correctly on this Dropday server, so pre-saving there does not work right now. Nothing was saved.',
  no_authorization: 'Apple Music did not give an authorization, so nothing was saved. Please start again.',
  token_refused:
    'Apple Music did not accept this sign-in (the authorization was revoked or has expired). Nothing was saved; please start again.',
  credentials_refused:
    'Apple Music is not set up correctly on this Dropday server (its developer credentials were refused). Nothing was saved; the operator needs to fix this.',
  unexpected: 'Apple Music did not answer as expected. Nothing was saved; please try again in a moment.',
};
