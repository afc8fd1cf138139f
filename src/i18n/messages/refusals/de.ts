import type { RefusalsMessages } from './index.js';

const messages: RefusalsMessages = {
  invalid_scope:
    'Der Streamingdienst hat die Berechtigungen abgelehnt, um die diese Vormerkung bittet, deshalb wurde nichts gespeichert. Auf dem Dropday-Server des Artists muss eine Einstellung geändert werden; bitte versuch es später noch einmal.',
  client_refused:
    'Der Streamingdienst lässt diesen Dropday-Server keine Fans anmelden (er ist dort nicht richtig eingerichtet), deshalb wurde nichts gespeichert. Bitte versuch es später noch einmal.',
  bad_request:
    'Der Streamingdienst konnte diese Anmeldeanfrage nicht verstehen, deshalb wurde nichts gespeichert. Bitte fang auf der Kampagnenseite noch einmal an.',
  server_error:
    'Beim Streamingdienst ist während deiner Anmeldung ein Problem aufgetreten, deshalb wurde nichts gespeichert. Bitte versuch es in ein paar Minuten noch einmal.',
  temporarily_unavailable:
    'Der Streamingdienst ist ausgelastet und konnte dich gerade nicht anmelden, deshalb wurde nichts gespeichert. Bitte versuch es in ein paar Minuten noch einmal.',
  sign_in_first: 'Der Streamingdienst möchte, dass du dich zuerst dort anmeldest. Es wurde nichts gespeichert; bitte fang noch einmal an.',
  consent_required: 'Der Streamingdienst möchte, dass du den Zugriff erlaubst. Es wurde nichts gespeichert; bitte fang noch einmal an.',
  unknown:
    'Der Streamingdienst hat diese Anmeldung ohne Angabe von Gründen abgelehnt, deshalb wurde nichts gespeichert. Bitte versuch es noch einmal.',
  not_allow_listed_title: 'Diese Vormerkung kann dein {service}-Konto nicht nutzen',
  not_allow_listed:
    '{service} lässt die App dieses Artists in ihrer Testphase nur für wenige Hörer speichern, und dein Konto gehört nicht dazu. Es wurde nichts gespeichert, und du musst bei {service} nichts tun.',
  offer_reminder:
    'Du kannst es trotzdem am Erscheinungstag hören: Lass dich erinnern oder trag die Veröffentlichung in deinen Kalender ein.',
  remind_button: 'Stattdessen erinnern',
};
export default messages;
