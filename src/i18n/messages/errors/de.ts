import type { ErrorsMessages } from './index.js';

const messages: ErrorsMessages = {
  title_invalid: 'Etwas stimmt nicht',
  title_not_allowed: 'Nicht erlaubt',
  title_not_found: 'Nicht gefunden',
  title_gone: 'Nicht mehr da',
  title_too_large: 'Zu groß',
  title_not_accepted: 'Nicht angenommen',
  title_slow_down: 'Etwas langsamer',
  title_service_silent: 'Der Streamingdienst hat nicht geantwortet',
  title_unavailable: 'Nicht verfügbar',
  title_generic: 'Etwas ist schiefgelaufen',
  title_campaign_not_found: 'Kampagne nicht gefunden',
  title_campaign_ended: 'Diese Kampagne ist beendet',
  title_presave_not_found: 'Vormerkung nicht gefunden',
  title_start_again: 'Bitte fang noch einmal an',
  title_nothing_saved: 'Es wurde nichts gespeichert',
  title_try_again: 'Bitte versuch es noch einmal',
  invalid: 'Eine Eingabe ist ungültig.',
  not_found: 'Nicht gefunden.',
  nothing_here: 'Unter dieser Adresse gibt es nichts.',
  campaign_not_found: 'Unter dieser Adresse gibt es keine Kampagne. Prüf den Link, den du bekommen hast, oder frag den Artist danach.',
  campaign_archived:
    'Diese Kampagne ist beendet und nimmt keine Vormerkungen mehr an. Such die Veröffentlichung bei deinem Streamingdienst.',
  presave_not_found:
    'Unter dieser Adresse gibt es keine Vormerkung. Wenn du deine Daten gelöscht hast, ist sie weg. Damit die Veröffentlichung gespeichert wird, merk sie auf der Kampagnenseite noch einmal vor.',
  no_listen_link: 'Für diesen Dienst gibt es noch keinen Link zu dieser Veröffentlichung.',
  service_unknown: 'Unbekannter Streamingdienst. Geh zurück zur Kampagnenseite und wähl einen ihrer Buttons.',
  service_not_offered: 'Diese Kampagne wird auf diesem Dienst nicht angeboten. Geh zurück zur Kampagnenseite und wähl einen ihrer Dienste.',
  service_not_offered_named: '„{title}“ wird auf diesem Dienst nicht angeboten.',
  service_not_configured: 'Dieser Streamingdienst ist auf diesem Dropday-Server nicht eingerichtet. Wähl einen anderen Dienst.',
  state_missing: 'Der Antwort der Anmeldung fehlt ihr Sicherheitstoken. Bitte fang noch einmal an.',
  state_invalid: 'Dieser Anmeldelink ist ungültig, wurde schon benutzt oder ist abgelaufen. Bitte fang noch einmal an.',
  state_browser_mismatch: 'Diese Anmeldung wurde in einem anderen Browser begonnen. Bitte fang auf der Kampagnenseite noch einmal an.',
  state_service_mismatch: 'Diese Antwort der Anmeldung gehört zu einem anderen Streamingdienst. Bitte fang noch einmal an.',
  access_denied: 'Du hast den Zugriff nicht erlaubt, deshalb wurde nichts gespeichert. Du kannst es jederzeit noch einmal versuchen.',
  provider_refused: 'Der Streamingdienst hat diese Anmeldung abgelehnt, deshalb wurde nichts gespeichert.',
  provider_error: 'Der Streamingdienst hat nicht wie erwartet geantwortet. Es wurde nichts gespeichert; bitte versuch es noch einmal.',
  provider_error_moment:
    'Der Streamingdienst hat nicht wie erwartet geantwortet. Es wurde nichts gespeichert; bitte versuch es gleich noch einmal.',
  grant_dead:
    'Der Streamingdienst hat diese Anmeldung abgelehnt. Es wurde nichts gespeichert; bitte fang auf der Kampagnenseite noch einmal an.',
  no_code: 'Die Antwort der Anmeldung enthält keinen Autorisierungscode. Bitte fang noch einmal an.',
  invalid_timezone: 'Die Zeitzone, die dein Browser gesendet hat, ist ungültig. Geh zurück zur Kampagnenseite und versuch es noch einmal.',
  unknown_timezone: '„{zone}“ ist keine Zeitzone, die wir kennen.',
  csrf: 'Das Formular ist abgelaufen oder wurde nicht von dieser Website gesendet. Bitte lade die Seite neu.',
  too_large: 'Die Anfrage ist zu groß.',
  not_accepted: 'Diese Adresse nimmt solche Inhalte nicht an. Sende das Formular von seiner Seite aus.',
  rate_limited: 'Zu viele Anfragen. Bitte warte einen Moment.',
  rate_connect_ip:
    'Du hast in kurzer Zeit viele Vormerkungen begonnen. Bitte warte {seconds, plural, =1 {eine Sekunde} one {# Sekunde} other {# Sekunden}} und versuch es dann noch einmal; es ist nichts verloren.',
  rate_connect_campaign:
    'Gerade merken sehr viele Fans diese Veröffentlichung vor. Bitte warte {seconds, plural, =1 {eine Sekunde} one {# Sekunde} other {# Sekunden}} und versuch es dann noch einmal; es ist nichts verloren.',
  busy: 'Dieser Server ist gerade ausgelastet. Bitte versuch es in ein paar Sekunden noch einmal.',
};
export default messages;
