import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'Le coffre',
  intro:
    'Des bonus de {artist}. Chaque lien de téléchargement fonctionne pendant {minutes} minutes, et seulement pour vous : rechargez cette page pour obtenir de nouveaux liens.',
  kind_audio: 'Audio',
  kind_image: 'Image',
  kind_video: 'Vidéo',
  kind_document: 'Document',
  kind_archive: 'Archive ZIP',
  kind_link: 'Lien',
  download: 'Télécharger',
  open_link: 'Ouvrir le lien',
  downloads_left: '{left, plural, one {# téléchargement restant} many {# de téléchargements restants} other {# téléchargements restants}}',
  locked: 'Verrouillé',
  locked_presave: 'Se déverrouille pour les fans dont le pré-enregistrement est en route vers leur bibliothèque.',
  locked_contact: 'Se déverrouille quand vous confirmez votre adresse e-mail pour un rappel sur cette page.',
  locked_referrals:
    'Se déverrouille quand {need, plural, one {le pré-enregistrement de # ami est vérifié} many {les pré-enregistrements de # d’amis sont vérifiés} other {les pré-enregistrements de # amis sont vérifiés}} grâce à votre lien — vous en avez {have}.',
  locked_release: 'Se déverrouille à la sortie : {when}.',
  link_expired_title: 'Ce lien a expiré',
  link_expired: 'Les liens de téléchargement ne fonctionnent que quelques minutes. Revenez à votre reçu pour en obtenir un nouveau.',
  link_invalid_title: 'Ce lien n’est pas le vôtre',
  link_invalid: 'Ce lien de téléchargement appartient à un autre reçu, ou il a été modifié. Ouvrez le coffre depuis votre propre reçu.',
  not_qualified_title: 'Encore verrouillé',
  not_qualified: 'Ce contenu n’est pas encore déverrouillé pour vous. Votre reçu indique ce qui le déverrouille.',
  limit_title: 'Limite de téléchargements atteinte',
  limit_reached:
    'Vous l’avez déjà téléchargé {limit, plural, one {# fois} many {# fois} other {# fois}}, le maximum autorisé par l’artiste. Si un téléchargement s’est interrompu, votre navigateur peut le reprendre.',
  gone: 'L’artiste a retiré ce contenu du coffre.',
  back_to_receipt: 'Retour à votre reçu',
};

export default messages;
