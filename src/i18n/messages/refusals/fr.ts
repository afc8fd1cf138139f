import type { RefusalsMessages } from './index.js';

const messages: RefusalsMessages = {
  invalid_scope:
    'Le service de streaming a refusé les autorisations que demande ce pré-enregistrement, donc rien n’a été enregistré. Un réglage doit être modifié sur le serveur Dropday de l’artiste ; réessayez plus tard.',
  client_refused:
    'Le service de streaming n’autorise pas ce serveur Dropday à connecter des fans (il n’y est pas correctement configuré), donc rien n’a été enregistré. Réessayez plus tard.',
  bad_request:
    'Le service de streaming n’a pas compris cette demande de connexion, donc rien n’a été enregistré. Recommencez depuis la page de la campagne.',
  server_error:
    'Le service de streaming a rencontré un problème pendant votre connexion, donc rien n’a été enregistré. Réessayez dans quelques minutes.',
  temporarily_unavailable:
    'Le service de streaming est occupé et n’a pas pu vous connecter pour l’instant, donc rien n’a été enregistré. Réessayez dans quelques minutes.',
  sign_in_first: 'Le service de streaming vous demande d’abord de vous y connecter. Rien n’a été enregistré ; veuillez recommencer.',
  consent_required: 'Le service de streaming vous demande d’autoriser l’accès. Rien n’a été enregistré ; veuillez recommencer.',
  unknown: 'Le service de streaming a refusé cette connexion sans dire pourquoi, donc rien n’a été enregistré. Veuillez réessayer.',
  not_allow_listed_title: 'Ce pré-enregistrement ne peut pas utiliser votre compte {service}',
  not_allow_listed:
    '{service} ne laisse l’app de cet artiste enregistrer que pour quelques auditeurs pendant sa période de test, et votre compte n’en fait pas partie. Rien n’a été enregistré, et vous n’avez rien à faire sur {service}.',
  offer_reminder: 'Vous pouvez quand même l’écouter le jour de sa sortie : recevez un rappel, ou ajoutez la sortie à votre agenda.',
  remind_button: 'Me le rappeler',
};
export default messages;
