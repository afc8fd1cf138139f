/**
 * The messages Dropday sends fans (reach/messages/compose/): the address confirmation, the
 * release-day message (a plain reminder or a pre-saver's receipt), the re-authorization notice
 * and the forever-save notice; mail subjects, bodies and footers, and web push notifications.
 */
export default {
  confirm_subject: 'Confirm your address for {artist}',
  confirm_heading: 'Confirm your address',
  confirm_body: 'You asked to hear from {artist} about “{title}” at this address. Confirm it, and messages can start:',
  confirm_button: 'Confirm my address',
  confirm_expires: 'This link works until {date}.',
  confirm_ignore: 'Not you? Ignore this message: nothing more is sent to this address unless it is confirmed.',
  confirm_choices_subject: 'Confirm your choices for {artist}',
  confirm_choices_heading: 'Confirm your choices',
  confirm_choices_body: 'Someone (you, we hope) asked {artist} for the following at this address. Nothing changes until you confirm:',
  confirm_choices_button: 'Yes, confirm these choices',
  confirm_choices_ignore: 'Not you? Ignore this message: these choices are then deleted and nothing changes.',
  out_now_subject: '{title} by {artist} is out now',
  out_now_body: '“{title}” by {artist} is out now.',
  listen_on: 'Listen on {service}',
  listen: 'Listen now',
  verified_subject: '{title} is in your {service} library',
  verified_body:
    'It’s in your {service} library — verified. Dropday saved “{title}” by {artist} on release day and checked that it is there.',
  failed_body: 'Dropday could not save “{title}” by {artist} to your {service} library: {why}',
  failed_listen: 'Listen anyway',
  why_authorization: 'your permission on {service} ended before release day.',
  why_not_found: '{service} did not have the release when Dropday looked for it.',
  why_other: '{service} refused the save.',
  reauth_subject: 'Pre-save {title} again: your {service} permission ends before release day',
  reauth_body:
    '{service} ends Dropday’s permission to save to your library on {date}, before “{title}” by {artist} comes out. Pre-save again, and it can be saved on release day:',
  reauth_button: 'Pre-save again',
  forever_subject: 'We’ll save {title} on {date}',
  forever_body: 'You asked Dropday to save {artist}’s new releases for you. “{title}” will be saved to your {service} library on {date}.',
  forever_cancel: 'Don’t want this any more? Stop forever save here',
  artwork_alt: 'Artwork of {title}',
  footer_why: 'You receive this because you asked for it on {artist}’s page on Dropday.',
  footer_preferences: 'Your choices: unsubscribe, or erase your data',
  footer_unsubscribe: 'Unsubscribe',
  footer_sender: 'Sent by {sender}',
  push_out_now_title: '{title} is out now',
  push_out_now_body: 'By {artist}. Tap to listen.',
  push_verified_body: 'It’s in your {service} library — verified.',
  push_failed_body: 'Dropday could not save it to your {service} library. Tap to listen anyway.',
};
