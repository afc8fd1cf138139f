import type { ReceiptMessages } from './index.js';

const messages: ReceiptMessages = {
  title: 'Vous avez pré-enregistré {title}',
  heading: 'C’est tout bon',
  saved: '✓ Enregistré dans votre bibliothèque {service}{dated, select, yes { le {date}} other {}}.',
  failed_authorization:
    'Dropday n’a pas pu l’enregistrer\xa0: votre autorisation sur {service} a pris fin (vous y avez déconnecté Dropday, ou {service} l’a retirée). Pour qu’il soit enregistré, refaites le pré-enregistrement depuis la page de la campagne.',
  failed_other:
    'Dropday n’a pas pu enregistrer la sortie dans votre bibliothèque {service}. L’artiste peut en voir la raison dans son tableau de bord.',
  cancelled: 'Ce pré-enregistrement a été annulé.',
  saving_now:
    'La sortie est disponible : Dropday enregistre « {title} » dans votre bibliothèque {service}{follow, select, yes { et suit {artist}} other {}} en ce moment.',
  scheduled:
    'Le {date}, Dropday enregistrera « {title} » de {artist} dans votre bibliothèque {service}{follow, select, yes { et suivra {artist}} other {}}. Rien d’autre.',
  action_needed: 'Action requise',
  reauthorize:
    '{service} met fin aux autorisations avant la sortie de ce titre : celle-ci aura donc expiré d’ici là. Refaites le pré-enregistrement après le {date}, et Dropday pourra l’enregistrer le jour de la sortie.',
  keep_address: 'Gardez l’adresse de cette page pour suivre votre pré-enregistrement plus tard.',
  cancel: 'Annuler ce pré-enregistrement',
  erase: 'Effacer mes données',
  erase_note: 'L’effacement supprime ce pré-enregistrement et, si rien d’autre n’en a besoin, votre autorisation {service}.',
  erased_title: 'Vos données ont été effacées',
  erased_heading: 'Effacé',
  erased_text: 'Votre pré-enregistrement et l’autorisation qu’il utilisait sont supprimés. Rien ne sera enregistré.',
};
export default messages;
