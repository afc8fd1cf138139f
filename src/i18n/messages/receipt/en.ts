/** The thank-you page (the fan's receipt), cancelling and erasing. */
export default {
  title: 'You pre-saved {title}',
  heading: "You're all set",
  saved: '✓ Saved to your {service} library{dated, select, yes { on {date}} other {}}.',
  failed_authorization:
    'Dropday could not save it: your permission on {service} ended (you disconnected Dropday there, or {service} withdrew it). To have it saved, pre-save again from the campaign page.',
  failed_other: 'Dropday could not save the release to your {service} library. The artist can see why on their dashboard.',
  cancelled: 'This pre-save was cancelled.',
  saving_now:
    'The release is out: Dropday is saving “{title}” to your {service} library{follow, select, yes { and follow {artist}} other {}} now.',
  scheduled:
    'On {date}, Dropday will save “{title}” by {artist} to your {service} library{follow, select, yes { and follow {artist}} other {}}. Nothing else.',
  action_needed: 'Action needed',
  reauthorize:
    '{service} ends an authorization before this release comes out, so this one will have expired by then. Please pre-save again after {date}, and Dropday can save it on release day.',
  keep_address: 'Keep this page’s address to check on your pre-save later.',
  cancel: 'Cancel this pre-save',
  erase: 'Erase my data',
  erase_note: 'Erasing deletes this pre-save and, if nothing else needs it, your {service} authorization.',
  erased_title: 'Your data was erased',
  erased_heading: 'Erased',
  erased_text: 'Your pre-save and the authorization it used are deleted. Nothing will be saved.',
};
