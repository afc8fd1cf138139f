import type { BusyMessages } from './index.js';

const messages: BusyMessages = {
  title: 'Ocupado: tente de novo daqui a pouco',
  heading: 'Ocupado agora',
  text: 'Este servidor está ocupado agora. Tente de novo em alguns segundos. Esta página vai tentar de novo sozinha em {seconds, plural, one {# segundo} many {# segundos} other {# segundos}}.',
};
export default messages;
