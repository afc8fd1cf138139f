/** The campaign page: pre-save before release, smart link after it. */
export default {
  out_local: 'Out {date} at {time}, your local time',
  out_at: 'Out {when}',
  partly_out: 'Already out in some countries — pre-save now and it is saved as soon as it is out where you are.',
  presave_on: 'Pre-save on {service}',
  listen_on: 'Listen on {service}',
  out_now: 'Out now',
  links_preparing: 'Links to the release are being prepared.',
  already_out_here: 'Already out where you are?',
  release_type: '{type, select, single {Single} ep {EP} album {Album} other {Release}}',
  description:
    '{type, select, single {Single} ep {EP} album {Album} other {Release}} by {artist}. {released, select, yes {Out now.} other {Pre-save it now.}}',
  demo_badge: 'DEMO',
  demo_note: 'A demo campaign on the built-in Sandbox service.',
  artwork_alt: 'Artwork for {title}',
  countdown_days: '{days, plural, one {# day} other {# days}}',
  countdown_left: '{time} until release',
  countdown_out: 'Out now — saving to every pre-saver’s library',
};
