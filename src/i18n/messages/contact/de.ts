import type { ContactMessages } from './index.js';

const messages: ContactMessages = {
  heading: 'Erinnere mich',
  intro:
    'Du musst keinen Dienst verbinden: Hinterlass deine E-Mail-Adresse und du bekommst eine einzige Nachricht, wenn „{title}“ erscheint.',
  receipt_intro: 'Eine Nachricht am Erscheinungstag? Hinterlass deine E-Mail-Adresse: Sie sagt dir, ob „{title}“ in deiner Bibliothek ist.',
  email_label: 'Deine E-Mail-Adresse',
  consent_remind: 'Erinnere mich, wenn „{title}“ erscheint: eine E-Mail am Erscheinungstag mit dem Link zum Anhören.',
  consent_news: 'Neuigkeiten von {artist}: kommende Veröffentlichungen und Ankündigungen per E-Mail. Jederzeit abbestellbar.',
  service_label: 'Link zu',
  service_any: 'Beliebiger Dienst (die Seite der Veröffentlichung)',
  submit: 'Erinnere mich',
  remind_on: 'Erinnere mich auf {service}',
  confirm_note: 'Du bekommst zuerst einen Bestätigungslink und sonst nichts, bis du ihn anklickst.',
  problem_title: 'Bitte prüfe das Formular',
  email_empty: 'Gib deine E-Mail-Adresse ein.',
  email_invalid: '„{email}“ ist keine E-Mail-Adresse, die Post empfangen kann.',
  email_too_long: 'Diese E-Mail-Adresse ist zu lang.',
  no_purpose: 'Kreuze mindestens ein Kästchen an: eine Erinnerung an diese Veröffentlichung, Neuigkeiten vom Artist oder beides.',
  service_invalid: 'Wähle einen der Dienste aus der Liste.',
  released: '„{title}“ ist schon erschienen: Es gibt nichts mehr zu erinnern. Hör es dir auf der Kampagnenseite an.',
  limited_ip:
    'Aus deinem Netz wurden gerade zu viele Adressen hinterlassen. Bitte versuch es in {minutes, plural, one {# Minute} other {# Minuten}} noch einmal.',
  limited_address:
    'Deine Auswahl ist gespeichert, aber diese Adresse hat heute schon mehrere Bestätigungslinks bekommen. Frag in {minutes, plural, one {# Minute} other {# Minuten}} erneut: Mit dem neuen Link kannst du sie bestätigen.',
  sent_title: 'Sieh in dein Postfach',
  sent_text:
    'Wenn {email} etwas zu bestätigen hat, ist ein Bestätigungslink unterwegs. Klick ihn innerhalb von {hours, plural, one {# Stunde} other {# Stunden}} an: Bis dahin wird nichts Neues an diese Adresse geschickt.',
  confirmed_title: 'Adresse bestätigt',
  confirmed_text: 'Danke: {email} ist bestätigt. Dem hast du zugestimmt:',
  already_confirmed_text: 'Diese Adresse war bereits bestätigt. Dem hast du zugestimmt:',
  choices_confirmed_text: 'Danke: Diese Auswahl ist bestätigt:',
  pending_consent:
    'Wartet auf deine Bestätigung: Nutze den Link, den wir an diese Adresse geschickt haben. Bis dahin wird sie nicht verwendet.',
  link_invalid_title: 'Dieser Link funktioniert nicht',
  link_invalid_text: 'Dieser Bestätigungslink ist unvollständig oder wurde verändert. Bitte hinterlass deine Adresse noch einmal.',
  link_expired_text: 'Dieser Bestätigungslink ist abgelaufen, oder die Adresse wurde entfernt. Bitte hinterlass deine Adresse noch einmal.',
  leave_again: 'Adresse noch einmal hinterlassen',
  prefs_title: 'Deine Auswahl',
  prefs_intro: 'Dem hat {email} zugestimmt, in dem Wortlaut, der dir gezeigt wurde:',
  purpose_remind: 'Erinnerung an die Veröffentlichung',
  purpose_news: 'Neuigkeiten vom Artist',
  purpose_forever: 'Für immer speichern',
  given: 'Zugestimmt am {date} auf der {page, select, receipt {Bestätigungsseite} other {Kampagnenseite}} von „{title}“.',
  withdrawn_at: 'Widerrufen am {date}.',
  withdraw: 'Widerrufen',
  withdrawn_done: 'Widerrufen: Du bekommst dazu keine Nachrichten mehr.',
  nothing_stands: 'Keine deiner Zustimmungen gilt noch: Diese Adresse bekommt nichts.',
  unconfirmed_note: 'Diese Adresse ist noch nicht bestätigt: Sie bekommt nichts, bis du den Link anklickst, den wir geschickt haben.',
  erase_heading: 'Alles löschen',
  erase_text:
    'Löscht deine Adresse, alles, dem du zugestimmt hast, und jede Nachricht, die noch auf dich wartet. Das lässt sich nicht rückgängig machen.',
  erase: 'Alles löschen',
  erased_title: 'Gelöscht',
  erased_text: 'Deine Adresse und alles, was dazu gespeichert war, sind gelöscht. Du bekommst nichts mehr.',
  unsubscribe_title: 'Abmelden',
  unsubscribe_text: 'Alle Nachrichten an {email} beenden?',
  unsubscribe: 'Abmelden',
  unsubscribed_text:
    'Du bist abgemeldet: {email} bekommt nichts mehr. Doch anders entschieden? Hinterlass deine Adresse noch einmal auf einer Kampagnenseite.',
  prefs_link: 'Deine Auswahl ansehen oder ändern',
  not_found: 'Dieser Link funktioniert nicht mehr: Die Adresse wurde gelöscht, oder der Link ist unvollständig.',
  receipt_contact_erased: 'Die E-Mail-Adresse, die du bei diesem Pre-Save hinterlassen hast, wurde ebenfalls gelöscht.',
  receipt_contact_kept:
    'Deine Erinnerung zu diesem Pre-Save wurde entfernt; die hinterlassene E-Mail-Adresse bleibt für deine anderen Auswahlen.',
};

export default messages;
