import type { ConsentMessages } from './index.js';

const messages: ConsentMessages = {
  text: 'Wenn du fortfährst, erlaubst du Dropday, „{title}“ von {artist} {timing, select, local {am {date} {midnight, select, yes {um Mitternacht} other {um {time}}} deiner Ortszeit, sobald es bei dir erschienen ist,} other {am {when}}} in deiner {service}-Mediathek zu speichern{follow, select, yes { und {artist} zu folgen} other {}}. Sonst nichts: Dropday postet nichts, liest deinen Hörverlauf nicht, kontaktiert dich nicht und löscht seinen Zugriff, sobald das Speichern erledigt ist.',
  for_service: '{service}: {text}',
};
export default messages;
