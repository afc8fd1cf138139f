import type { MusickitMessages } from './index.js';

const messages: MusickitMessages = {
  title: '{title} auf Apple Music vormerken',
  heading: 'Auf Apple Music vormerken',
  continue: 'Weiter mit Apple Music',
  loading: 'Apple Music wird geladen …',
  needs_javascript: 'Die Anmeldung bei Apple Music braucht JavaScript. Bitte schalte es ein oder merk auf einem anderen Dienst vor.',
  apple_asks:
    'Apple bittet dich, „{app}“ den Zugriff auf deine Apple-Music-Mediathek zu erlauben. Dropday fügt ihr nur diese Veröffentlichung hinzu.',
  ready: 'Klick auf den Button, um dich bei Apple Music anzumelden.',
  start_failed: 'Apple Music konnte nicht gestartet werden. Bitte versuch es später noch einmal oder merk auf einem anderen Dienst vor.',
  load_failed: 'Apple Music konnte nicht geladen werden. Prüf deine Verbindung oder deinen Inhaltsblocker und lade die Seite dann neu.',
  waiting: 'Warte auf Apple Music …',
  saving: 'Deine Vormerkung wird gespeichert …',
  record_failed: 'Dropday konnte deine Vormerkung nicht speichern. Bitte fang noch einmal an.',
  unreachable: 'Dropday ist nicht erreichbar. Bitte prüf deine Verbindung und fang noch einmal an.',
  denied:
    'Du hast den Zugriff in Apple Music nicht erlaubt, deshalb wurde nichts gespeichert. Du kannst es noch einmal versuchen oder zurückgehen.',
  not_set_up:
    'Apple Music ist auf diesem Dropday-Server nicht richtig eingerichtet, daher funktioniert das Vormerken dort gerade nicht. Es wurde nichts gespeichert.',
  no_authorization: 'Apple Music hat keine Autorisierung erteilt, deshalb wurde nichts gespeichert. Bitte fang noch einmal an.',
  token_refused:
    'Apple Music hat diese Anmeldung nicht akzeptiert (die Autorisierung wurde widerrufen oder ist abgelaufen). Es wurde nichts gespeichert; bitte fang noch einmal an.',
  credentials_refused:
    'Apple Music ist auf diesem Dropday-Server nicht richtig eingerichtet (seine Entwickler-Zugangsdaten wurden abgelehnt). Es wurde nichts gespeichert; der Betreiber muss das beheben.',
  unexpected: 'Apple Music hat nicht wie erwartet geantwortet. Es wurde nichts gespeichert; bitte versuch es gleich noch einmal.',
};
export default messages;
