import type { InAppMessages } from './index.js';

const messages: InAppMessages = {
  notice:
    'Der eingebaute Browser von {app} blockiert oft die Anmeldung bei Streamingdiensten. Passiert das, helfen wir dir, diese Seite in deinem eigenen Browser zu öffnen.',
  title: 'In deinem Browser öffnen',
  why: 'Der eingebaute Browser von {app} bricht die Anmeldung bei {service} oft mittendrin ab. Öffne diese Seite in deinem eigenen Browser und merke sie dort vor – {service} ist dann schon ausgewählt.',
  open_browser: 'In meinem Browser öffnen',
  ios_dots_external: 'Tippe oben rechts auf ··· und dann auf „In externem Browser öffnen“.',
  ios_dots_browser: 'Tippe oben rechts auf ··· und dann auf „Im Browser öffnen“.',
  ios_share_safari: 'Tippe auf die Teilen-Taste und dann auf „In Safari öffnen“.',
  ios_generic: 'Öffne das Menü der App (meist ··· oder die Teilen-Taste) und wähle, die Seite in deinem Browser zu öffnen.',
  copy_intro: 'Oder kopiere den Link und füge ihn in die Adresszeile deines Browsers ein:',
  link_label: 'Link zu dieser Seite',
  copy: 'Link kopieren',
  copied: 'Link kopiert. Öffne deinen Browser und füge ihn in die Adresszeile ein.',
  copy_failed: 'Kopieren hat hier nicht geklappt. Halte den Link oben gedrückt und wähle „Kopieren“.',
  continue_here: 'Trotzdem hier weitermachen',
  continue_note: 'Hängt die Anmeldung, komm auf diese Seite zurück und öffne sie in deinem Browser.',
  chosen: 'Du hast {service} gewählt. Tippe auf die Taste, um mit dem Vormerken weiterzumachen.',
  musickit_stuck:
    'Apple Music hat noch nicht geantwortet. Die Anmeldung hängt in den eingebauten Browsern von Apps oft fest: Öffne diese Seite in deinem Browser und versuche es dort noch einmal. Antwortet Apple Music in der Zwischenzeit, geht dein Vormerken von selbst weiter.',
};
export default messages;
