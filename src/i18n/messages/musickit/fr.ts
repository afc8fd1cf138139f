import type { MusickitMessages } from './index.js';

const messages: MusickitMessages = {
  title: 'Pré-enregistrer {title} sur Apple Music',
  heading: 'Pré-enregistrer sur Apple Music',
  continue: 'Continuer avec Apple Music',
  loading: 'Chargement d’Apple Music…',
  needs_javascript: 'La connexion à Apple Music nécessite JavaScript. Activez-le, ou faites le pré-enregistrement sur un autre service.',
  apple_asks:
    'Apple vous demande d’autoriser « {app} » à accéder à votre bibliothèque Apple Music. Dropday y ajoute uniquement cette sortie.',
  ready: 'Cliquez sur le bouton pour vous connecter avec Apple Music.',
  start_failed: 'Apple Music n’a pas pu démarrer. Réessayez plus tard, ou faites le pré-enregistrement sur un autre service.',
  load_failed: 'Apple Music n’a pas pu être chargé. Vérifiez votre connexion ou votre bloqueur de contenu, puis rechargez la page.',
  waiting: 'En attente d’Apple Music…',
  saving: 'Enregistrement de votre pré-enregistrement…',
  record_failed: 'Dropday n’a pas pu enregistrer votre pré-enregistrement. Veuillez recommencer.',
  unreachable: 'Impossible de joindre Dropday. Vérifiez votre connexion et recommencez.',
  denied: 'Vous n’avez pas autorisé l’accès dans Apple Music, donc rien n’a été enregistré. Vous pouvez réessayer ou revenir en arrière.',
  not_set_up:
    'Apple Music n’est pas correctement configuré sur ce serveur Dropday : le pré-enregistrement n’y fonctionne pas pour le moment. Rien n’a été enregistré.',
  no_authorization: 'Apple Music n’a donné aucune autorisation, donc rien n’a été enregistré. Veuillez recommencer.',
  token_refused:
    'Apple Music n’a pas accepté cette connexion (l’autorisation a été révoquée ou a expiré). Rien n’a été enregistré ; veuillez recommencer.',
  credentials_refused:
    'Apple Music n’est pas correctement configuré sur ce serveur Dropday (ses identifiants de développeur ont été refusés). Rien n’a été enregistré ; l’opérateur doit corriger cela.',
  unexpected: 'Apple Music n’a pas répondu comme prévu. Rien n’a été enregistré ; réessayez dans un instant.',
};
export default messages;
