import type { BusyMessages } from './index.js';

const messages: BusyMessages = {
  title: 'Ocupado: inténtalo de nuevo en un momento',
  heading: 'Ocupado en este momento',
  text: 'Este servidor está ocupado en este momento. Inténtalo de nuevo en unos segundos. Esta página lo volverá a intentar sola en {seconds, plural, one {# segundo} many {# segundos} other {# segundos}}.',
};
export default messages;
