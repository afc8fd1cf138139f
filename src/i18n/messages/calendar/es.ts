import type { CalendarMessages } from './index.js';

const messages: CalendarMessages = {
  summary: '{title} — {artist}: ya disponible',
  description: '«{title}» de {artist} ya está disponible. Escúchalo en tu servicio: {link}',
  alarm: '«{title}» de {artist} ya está disponible',
  heading: 'Añádelo a tu calendario',
  note: 'Sin cuenta: tu calendario te avisa en cuanto salga.',
  add_ics: 'Añadir al calendario (.ics)',
  add_google: 'Añadir a Google Calendar',
};
export default messages;
