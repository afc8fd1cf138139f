import type { ConsentMessages } from './index.js';

const messages: ConsentMessages = {
  text: 'En continuant, vous autorisez Dropday à enregistrer « {title} » de {artist} dans votre bibliothèque {service}{follow, select, yes { et à suivre {artist}} other {}} {timing, select, local {le {date} {midnight, select, yes {à minuit} other {à {time}}}, heure locale, dès sa sortie chez vous} other {le {when}}}. Rien d’autre : Dropday ne publie rien, ne lit pas votre historique d’écoute, ne vous contacte pas et supprime son accès dès l’enregistrement terminé.',
  for_service: '{service}\u00a0: {text}',
};
export default messages;
