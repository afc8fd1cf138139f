import type { BusyMessages } from './index.js';

const messages: BusyMessages = {
  title: 'Ausgelastet — versuch es gleich noch einmal',
  heading: 'Gerade ausgelastet',
  text: 'Dieser Server ist gerade ausgelastet. Bitte versuch es in ein paar Sekunden noch einmal. Diese Seite versucht es in {seconds, plural, one {# Sekunde} other {# Sekunden}} von selbst noch einmal.',
};
export default messages;
