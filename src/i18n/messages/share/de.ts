import type { ShareMessages } from './index.js';

const messages: ShareMessages = {
  heading: 'Teilen',
  share: 'Teilen',
  share_on: 'Auf {network} teilen',
  copy_link: 'Link kopieren',
  copied: 'Link kopiert',
  copy_fallback: 'Kopiere diesen Link:',
  text_presave: '„{title}“ von {artist} jetzt vormerken',
  text_listen: '„{title}“ von {artist} jetzt anhören',
  card_countries: '{min, plural, one {Länder mit mindestens # Fan} other {Länder mit mindestens # Fans}}',
};
export default messages;
