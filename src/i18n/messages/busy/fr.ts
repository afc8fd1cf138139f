import type { BusyMessages } from './index.js';

const messages: BusyMessages = {
  title: 'Occupé — réessayez dans un instant',
  heading: 'Occupé pour le moment',
  text: 'Ce serveur est occupé pour le moment. Réessayez dans quelques secondes. Cette page réessaie d’elle-même dans {seconds, plural, one {# seconde} many {# de secondes} other {# secondes}}.',
};
export default messages;
