import type { ReceiptMessages } from './index.js';

const messages: ReceiptMessages = {
  title: 'Du hast {title} vorgemerkt',
  heading: 'Alles erledigt',
  saved: '✓ In deiner {service}-Mediathek gespeichert{dated, select, yes { am {date}} other {}}.',
  failed_authorization:
    'Dropday konnte es nicht speichern: Deine Erlaubnis bei {service} ist beendet (du hast Dropday dort getrennt, oder {service} hat sie entzogen). Damit es gespeichert wird, merk es auf der Kampagnenseite noch einmal vor.',
  failed_other:
    'Dropday konnte die Veröffentlichung nicht in deiner {service}-Mediathek speichern. Der Artist sieht den Grund in seinem Dashboard.',
  cancelled: 'Diese Vormerkung wurde storniert.',
  saving_now:
    'Die Veröffentlichung ist erschienen: Dropday speichert „{title}“ gerade in deiner {service}-Mediathek{follow, select, yes { und folgt {artist}} other {}}.',
  scheduled:
    'Am {date} speichert Dropday „{title}“ von {artist} in deiner {service}-Mediathek{follow, select, yes { und folgt {artist}} other {}}. Sonst nichts.',
  action_needed: 'Handlung erforderlich',
  reauthorize:
    '{service} beendet eine Autorisierung, bevor diese Veröffentlichung erscheint, deshalb ist deine bis dahin abgelaufen. Bitte merk sie ab {date} noch einmal vor, dann kann Dropday sie am Erscheinungstag speichern.',
  keep_address: 'Bewahre die Adresse dieser Seite auf, um später nach deiner Vormerkung zu sehen.',
  cancel: 'Diese Vormerkung stornieren',
  erase: 'Meine Daten löschen',
  erase_note: 'Das Löschen entfernt diese Vormerkung und, wenn nichts anderes sie braucht, deine {service}-Autorisierung.',
  erased_title: 'Deine Daten wurden gelöscht',
  erased_heading: 'Gelöscht',
  erased_text: 'Deine Vormerkung und die Autorisierung, die sie nutzte, sind gelöscht. Es wird nichts gespeichert.',
};
export default messages;
