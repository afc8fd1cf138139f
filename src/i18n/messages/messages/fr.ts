import type { MessagesMessages } from './index.js';

const messages: MessagesMessages = {
  confirm_subject: 'Confirmez votre adresse pour {artist}',
  confirm_heading: 'Confirmez votre adresse',
  confirm_body:
    'Vous avez demandé à recevoir des nouvelles de {artist} sur « {title} » à cette adresse. Confirmez-la pour que les messages commencent :',
  confirm_button: 'Confirmer mon adresse',
  confirm_expires: 'Ce lien fonctionne jusqu’au {date}.',
  confirm_ignore: 'Ce n’était pas vous ? Ignorez ce message : rien d’autre ne sera envoyé à cette adresse sans confirmation.',
  confirm_choices_subject: 'Confirmez vos choix pour {artist}',
  confirm_choices_heading: 'Confirmez vos choix',
  confirm_choices_body:
    'Quelqu’un (vous, nous l’espérons) a demandé ceci à {artist} pour cette adresse. Rien ne change tant que vous ne confirmez pas :',
  confirm_choices_button: 'Oui, confirmer ces choix',
  confirm_choices_ignore: 'Ce n’était pas vous ? Ignorez ce message : ces choix seront alors supprimés et rien ne change.',
  out_now_subject: '{title} de {artist} est sorti',
  out_now_body: '« {title} » de {artist} est sorti.',
  listen_on: 'Écouter sur {service}',
  listen: 'Écouter maintenant',
  verified_subject: '{title} est dans votre bibliothèque {service}',
  verified_body:
    'C’est dans votre bibliothèque {service} — vérifié. Dropday a enregistré « {title} » de {artist} le jour de la sortie et a vérifié qu’il y est.',
  failed_body: 'Dropday n’a pas pu enregistrer « {title} » de {artist} dans votre bibliothèque {service} : {why}',
  failed_listen: 'Écouter quand même',
  why_authorization: 'votre autorisation sur {service} a pris fin avant le jour de la sortie.',
  why_not_found: '{service} n’avait pas la sortie quand Dropday l’a cherchée.',
  why_other: '{service} a refusé l’enregistrement.',
  reauth_subject: 'Refaites le pre-save de {title} : votre autorisation {service} expire avant la sortie',
  reauth_body:
    '{service} met fin le {date} à l’autorisation de Dropday d’enregistrer dans votre bibliothèque, avant la sortie de « {title} » de {artist}. Refaites le pre-save pour qu’il soit enregistré le jour de la sortie :',
  reauth_button: 'Refaire le pre-save',
  forever_subject: 'Nous enregistrerons {title} le {date}',
  forever_body:
    'Vous avez demandé à Dropday d’enregistrer les nouvelles sorties de {artist}. « {title} » sera enregistré dans votre bibliothèque {service} le {date}.',
  forever_cancel: 'Vous n’en voulez plus ? Arrêtez l’enregistrement permanent ici',
  artwork_alt: 'Pochette de {title}',
  footer_why: 'Vous recevez ce message parce que vous l’avez demandé sur la page de {artist} sur Dropday.',
  footer_preferences: 'Vos choix : se désabonner ou effacer vos données',
  footer_unsubscribe: 'Se désabonner',
  footer_sender: 'Envoyé par {sender}',
  push_out_now_title: '{title} est sorti',
  push_out_now_body: 'De {artist}. Touchez pour écouter.',
  push_verified_body: 'C’est dans votre bibliothèque {service} — vérifié.',
  push_failed_body: 'Dropday n’a pas pu l’enregistrer dans votre bibliothèque {service}. Touchez pour écouter quand même.',
};
export default messages;
