import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'Invitez vos amis',
  intro: 'Voici votre lien personnel. Les amis qui font le pré-enregistrement avec ce lien comptent pour vous.',
  link_label: 'Votre lien',
  counts:
    '{counted, plural, one {# parrainage compté} many {# de parrainages comptés} other {# parrainages comptés}}, {pending, plural, one {# en attente de vérification} many {# en attente de vérification} other {# en attente de vérification}}',
  how_counted:
    'Un parrainage compte une fois l’enregistrement de votre ami vérifié dans sa bibliothèque le jour de la sortie ; jusque-là, il est en attente. Un même ami ne compte qu’une fois.',
  rank: 'Vous êtes n° {rank} sur {total}.',
  name_label: 'Votre nom dans le classement public (facultatif)',
  name_hint: 'Laissez vide pour ne pas apparaître sous un nom (vous serez « un fan »). {max} caractères au maximum.',
  name_save: 'Enregistrer le nom',
  name_saved: 'Votre nom pour le classement a été enregistré.',
  name_too_long: 'Le nom pour le classement est trop long : {max} caractères au maximum.',
  name_bad_characters: 'Le nom pour le classement ne peut contenir ni saut de ligne, ni tabulation, ni caractère invisible.',
  leaderboard_link: 'Voir le classement',
  leaderboard_title: 'Classement : {title}',
  leaderboard_heading: 'Qui a fait venir le plus d’amis',
  leaderboard_intro: 'Comptés : amis dont l’enregistrement a été vérifié dans leur bibliothèque. En attente : jusqu’au jour de la sortie.',
  col_rank: 'Rang',
  col_name: 'Fan',
  col_counted: 'Comptés',
  col_pending: 'En attente',
  a_fan: 'un fan',
  empty: 'Personne n’a encore fait venir d’ami. Soyez le premier !',
};

export default messages;
