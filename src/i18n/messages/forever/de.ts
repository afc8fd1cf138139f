import type { ForeverMessages } from './index.js';

const messages: ForeverMessages = {
  heading: 'Auch künftige Veröffentlichungen speichern',
  consent: 'Auch die künftigen Veröffentlichungen von {artist} in meiner {service}-Bibliothek vormerken, bis ich es beende.',
  explain:
    'Kündigt {artist} auf diesem Dropday eine neue Veröffentlichung an, wird sie mit dieser Berechtigung für dich bei {service} vorgemerkt, und du wirst benachrichtigt, wenn du eine E-Mail-Adresse hinterlassen hast. Du kannst es jederzeit beenden.',
  submit: 'Künftige Veröffentlichungen speichern',
  must_tick: 'Setze das Häkchen bei „{consent}“, um das dauerhafte Speichern einzuschalten.',
  on: 'Dauerhaftes Speichern ist seit {date} an: Die künftigen Veröffentlichungen von {artist} werden in deiner {service}-Bibliothek vorgemerkt.',
  stop: 'Dauerhaftes Speichern beenden',
  stopped:
    'Dauerhaftes Speichern ist beendet: Es wird nichts mehr gespeichert. Bereits angelegte Vormerkungen bleiben; du kannst jede auf ihrer Bestätigungsseite stornieren.',
  page_title: 'Dauerhaftes Speichern — {artist}',
  erased: 'Dieses dauerhafte Speichern gibt es nicht mehr.',
};
export default messages;
