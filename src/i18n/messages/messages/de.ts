import type { MessagesMessages } from './index.js';

const messages: MessagesMessages = {
  confirm_subject: 'Bestätige deine Adresse für {artist}',
  confirm_heading: 'Bestätige deine Adresse',
  confirm_body: 'Du möchtest von {artist} über „{title}“ unter dieser Adresse hören. Bestätige sie, dann können Nachrichten kommen:',
  confirm_button: 'Meine Adresse bestätigen',
  confirm_expires: 'Dieser Link gilt bis {date}.',
  confirm_ignore: 'Das warst du nicht? Ignoriere diese Nachricht: Ohne Bestätigung wird nichts weiter an diese Adresse geschickt.',
  confirm_choices_subject: 'Bestätige deine Auswahl für {artist}',
  confirm_choices_heading: 'Bestätige deine Auswahl',
  confirm_choices_body:
    'Jemand (hoffentlich du) hat für diese Adresse Folgendes bei {artist} angefragt. Bis du bestätigst, ändert sich nichts:',
  confirm_choices_button: 'Ja, diese Auswahl bestätigen',
  confirm_choices_ignore: 'Das warst du nicht? Ignoriere diese Nachricht: Die Auswahl wird dann gelöscht und nichts ändert sich.',
  out_now_subject: '{title} von {artist} ist jetzt erschienen',
  out_now_body: '„{title}“ von {artist} ist jetzt erschienen.',
  listen_on: 'Auf {service} anhören',
  listen: 'Jetzt anhören',
  verified_subject: '{title} ist in deiner {service}-Bibliothek',
  verified_body:
    'Es ist in deiner {service}-Bibliothek – bestätigt. Dropday hat „{title}“ von {artist} am Erscheinungstag gespeichert und geprüft, dass es dort ist.',
  failed_body: 'Dropday konnte „{title}“ von {artist} nicht in deiner {service}-Bibliothek speichern: {why}',
  failed_listen: 'Trotzdem anhören',
  why_authorization: 'Deine Berechtigung bei {service} endete vor dem Erscheinungstag.',
  why_not_found: '{service} hatte die Veröffentlichung nicht, als Dropday danach suchte.',
  why_other: '{service} hat das Speichern abgelehnt.',
  reauth_subject: 'Pre-save {title} noch einmal: deine {service}-Berechtigung endet vor dem Erscheinen',
  reauth_body:
    '{service} beendet am {date} Dropdays Berechtigung, in deiner Bibliothek zu speichern – bevor „{title}“ von {artist} erscheint. Mach den Pre-Save noch einmal, dann kann es am Erscheinungstag gespeichert werden:',
  reauth_button: 'Noch einmal pre-saven',
  forever_subject: 'Wir speichern {title} am {date}',
  forever_body:
    'Du hast Dropday gebeten, neue Veröffentlichungen von {artist} für dich zu speichern. „{title}“ wird am {date} in deiner {service}-Bibliothek gespeichert.',
  forever_cancel: 'Nicht mehr gewünscht? Hier das dauerhafte Speichern beenden',
  artwork_alt: 'Cover von {title}',
  footer_why: 'Du bekommst das, weil du es auf der Seite von {artist} bei Dropday angefordert hast.',
  footer_preferences: 'Deine Auswahl: abbestellen oder deine Daten löschen',
  footer_unsubscribe: 'Abbestellen',
  footer_sender: 'Gesendet von {sender}',
  push_out_now_title: '{title} ist jetzt erschienen',
  push_out_now_body: 'Von {artist}. Zum Anhören tippen.',
  push_verified_body: 'Es ist in deiner {service}-Bibliothek – bestätigt.',
  push_failed_body: 'Dropday konnte es nicht in deiner {service}-Bibliothek speichern. Tippe, um es trotzdem anzuhören.',
};
export default messages;
