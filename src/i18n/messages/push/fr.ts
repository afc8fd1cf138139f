import type { PushMessages } from './index.js';

const messages: PushMessages = {
  heading: 'Ou recevez une notification dans ce navigateur',
  remind: 'Prévenez-moi quand « {title} » sort',
  news: 'Les nouvelles de {artist} : prochaines sorties et annonces',
  button: 'M’avertir dans ce navigateur',
  choose: 'Cochez d’abord ce dont vous voulez être averti.',
  asking: 'Demande à votre navigateur…',
  done: 'C’est fait : ce navigateur recevra les notifications.',
  manage: 'Voir ou arrêter ces notifications',
  denied: 'Les notifications de ce site sont bloquées dans votre navigateur. Autorisez-les dans les paramètres du site et réessayez.',
  failed: 'Cela n’a pas marché. Veuillez réessayer.',
  bad_subscription:
    'Votre navigateur a fourni un abonnement aux notifications que Dropday ne peut pas utiliser. Réessayez, ou laissez plutôt votre adresse e-mail.',
  bad_purpose: 'Cochez au moins une option pour être averti.',
  rate: 'Beaucoup d’inscriptions aux notifications sont venues de votre réseau. Patientez {minutes, plural, =1 {une minute} one {# minute} many {# minutes} other {# minutes}} puis réessayez.',
  page_title: 'Notifications dans ce navigateur',
  page_intro: 'Depuis le {date}, Dropday avertit ce navigateur de :',
  page_remind: 'la sortie de « {title} » de {artist}',
  page_news: 'les nouvelles de {artist}',
  page_nothing: 'Plus rien.',
  stop: 'Arrêter les notifications dans ce navigateur',
  stop_note: 'Arrêter supprime l’abonnement de ce navigateur et toute notification prévue pour lui.',
  not_found: 'Ces notifications ont déjà été arrêtées, ou le lien est incomplet.',
  stopped_title: 'Notifications arrêtées',
  stopped_text:
    'Ce navigateur ne recevra plus de notifications de Dropday. Son abonnement et tout ce qui était prévu pour lui sont supprimés.',
};
export default messages;
