/**
 * What a fan agrees to before connecting a service. Every language says the same facts: what is
 * saved (the release, by the artist), where (the service's library), when (midnight or a time in
 * the fan's zone on the date — local timing — or one instant), whether the artist is followed,
 * that nothing else happens, and that access is deleted once the save is done.
 */
export default {
  text: 'By continuing you let Dropday save “{title}” by {artist} to your {service} library {timing, select, local {{midnight, select, yes {at midnight} other {at {time}}} your local time on {date}, when it is out where you are} other {on {when}}}{follow, select, yes {, and follow {artist}} other {}}. Nothing else: Dropday does not post, read your listening history, or contact you, and deletes its access once the save is done.',
  /** The consent text under the buttons, headed by the service it is for (French puts a space before the colon). */
  for_service: '{service}: {text}',
};
