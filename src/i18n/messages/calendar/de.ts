import type { CalendarMessages } from './index.js';

const messages: CalendarMessages = {
  summary: '{title} — {artist}: jetzt erschienen',
  description: '„{title}“ von {artist} ist erschienen. Hör es bei deinem Dienst: {link}',
  alarm: '„{title}“ von {artist} ist jetzt erschienen',
  heading: 'In den Kalender eintragen',
  note: 'Ohne Konto: Dein Kalender erinnert dich, sobald es erscheint.',
  add_ics: 'Zum Kalender hinzufügen (.ics)',
  add_google: 'Zu Google Kalender hinzufügen',
};
export default messages;
