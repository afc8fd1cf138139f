import type { PushMessages } from './index.js';

const messages: PushMessages = {
  heading: 'Oder erhalte eine Benachrichtigung in diesem Browser',
  remind: 'Erinnere mich, wenn „{title}“ erscheint',
  news: 'Neues von {artist}: kommende Veröffentlichungen und Ankündigungen',
  button: 'In diesem Browser benachrichtigen',
  choose: 'Kreuze zuerst an, worüber du benachrichtigt werden möchtest.',
  asking: 'Dein Browser wird gefragt …',
  done: 'Erledigt: Dieser Browser wird benachrichtigt.',
  manage: 'Diese Benachrichtigungen ansehen oder beenden',
  denied:
    'Benachrichtigungen dieser Website sind in deinem Browser blockiert. Erlaube sie in den Website-Einstellungen und versuche es noch einmal.',
  failed: 'Das hat nicht geklappt. Bitte versuche es noch einmal.',
  bad_subscription:
    'Dein Browser hat ein Benachrichtigungs-Abo geliefert, das Dropday nicht verwenden kann. Versuche es noch einmal oder gib stattdessen deine E-Mail-Adresse an.',
  bad_purpose: 'Kreuze mindestens eine Option an, um benachrichtigt zu werden.',
  rate: 'Aus deinem Netzwerk kamen viele Anmeldungen für Benachrichtigungen. Bitte warte {minutes, plural, =1 {eine Minute} one {# Minute} other {# Minuten}} und versuche es dann noch einmal.',
  page_title: 'Benachrichtigungen in diesem Browser',
  page_intro: 'Seit {date} benachrichtigt Dropday diesen Browser über:',
  page_remind: 'das Erscheinen von „{title}“ von {artist}',
  page_news: 'Neues von {artist}',
  page_nothing: 'Nichts mehr.',
  stop: 'Benachrichtigungen in diesem Browser beenden',
  stop_note: 'Beenden löscht das Abo dieses Browsers und jede für ihn geplante Benachrichtigung.',
  not_found: 'Diese Benachrichtigungen wurden schon beendet, oder der Link ist unvollständig.',
  stopped_title: 'Benachrichtigungen beendet',
  stopped_text: 'Dieser Browser erhält keine Benachrichtigungen von Dropday mehr. Sein Abo und alles für ihn Geplante sind gelöscht.',
};
export default messages;
