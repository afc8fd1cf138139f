import type { CampaignMessages } from './index.js';

const messages: CampaignMessages = {
  out_local: 'Erscheint am {date} um {time}, deine Ortszeit',
  out_at: 'Erscheint am {when}',
  partly_out: 'In einigen Ländern schon erschienen — merk es jetzt vor, und es wird gespeichert, sobald es bei dir erschienen ist.',
  presave_on: 'Auf {service} vormerken',
  listen_on: 'Auf {service} anhören',
  out_now: 'Jetzt erschienen',
  links_preparing: 'Die Links zur Veröffentlichung werden vorbereitet.',
  already_out_here: 'Bei dir schon erschienen?',
  release_type: '{type, select, single {Single} ep {EP} album {Album} other {Veröffentlichung}}',
  description:
    '{type, select, single {Single} ep {EP} album {Album} other {Veröffentlichung}} von {artist}. {released, select, yes {Jetzt erschienen.} other {Jetzt vormerken.}}',
  demo_badge: 'DEMO',
  demo_note: 'Eine Demo-Kampagne auf dem eingebauten Sandbox-Dienst.',
  artwork_alt: 'Cover von {title}',
  countdown_days: '{days, plural, one {# Tag} other {# Tage}}',
  countdown_left: 'Noch {time} bis zur Veröffentlichung',
  countdown_out: 'Jetzt erschienen — wird in die Mediathek aller gespeichert, die vorgemerkt haben',
};
export default messages;
