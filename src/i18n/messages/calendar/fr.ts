import type { CalendarMessages } from './index.js';

const messages: CalendarMessages = {
  summary: '{title} — {artist} : disponible',
  description: '« {title} » de {artist} est sorti. Écoutez-le sur votre service : {link}',
  alarm: '« {title} » de {artist} est disponible',
  heading: 'Ajoutez-le à votre agenda',
  note: 'Sans compte : votre agenda vous prévient dès la sortie.',
  add_ics: 'Ajouter à l’agenda (.ics)',
  add_google: 'Ajouter à Google Agenda',
};
export default messages;
