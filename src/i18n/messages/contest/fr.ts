import type { ContestMessages } from './index.js';

const messages: ContestMessages = {
  heading: 'Concours',
  prize: 'Lot : {prize}',
  starts_on: 'Commence le {when}',
  ends_on: 'Se termine le {when}',
  ended_on: 'Terminé le {when}',
  your_points: 'Vos points : {points}',
  pending_points: 'En attente du jour de sortie : {points} de plus, une fois les sauvegardes vérifiées dans les bibliothèques',
  no_purchase: 'Aucun achat ni paiement n’est nécessaire pour participer ou gagner.',
  contact_winners:
    'Les gagnants ne sont prévenus par e-mail que s’ils ont laissé une adresse sur leur page de reçu et l’ont confirmée. Sans elle, l’artiste ne peut pas les joindre.',
  rules_link: 'Règlement officiel',
  page_title: 'Concours : règlement officiel',
  period: 'Du {start} au {end}',
  how_to_enter:
    'Pour participer, faites le pré-enregistrement de cette sortie. Votre page de reçu vous donne ensuite un lien personnel à partager.',
  how_points: 'Comment gagner des points',
  action: 'Ce que vous faites',
  points: 'Points',
  points_presave: 'Faire vous-même le pré-enregistrement (compte une fois la sauvegarde vérifiée dans votre bibliothèque)',
  points_referral: 'Chaque ami qui fait le pré-enregistrement via votre lien personnel (compte une fois sa sauvegarde vérifiée)',
  points_contact: 'Laisser votre adresse e-mail et la confirmer',
  window_note: 'Seul ce qui se passe entre le début et la fin compte.',
  how_chosen: 'Comment les gagnants sont choisis',
  method_top:
    'Nombre de gagnants : {n}. Les participants qui ont le plus de points gagnent ; les ex æquo sont départagés par la graine ci-dessous.',
  method_draw:
    'Nombre de gagnants : {n}. Les gagnants sont tirés au sort, chaque point valant une chance ; le tirage utilise la graine ci-dessous, chacun peut donc le refaire.',
  official_rules: 'Règlement officiel',
  seed_heading: 'Graine du tirage',
  seed_note:
    'Publiée avant le tirage. Avec cette graine et la liste des participations, chacun peut refaire le tirage et vérifier les gagnants.',
  winners_heading: 'Gagnants',
  drawn_on: 'Tiré le {when}.',
  not_drawn: 'Les gagnants n’ont pas encore été tirés.',
  a_fan: 'Un fan',
  place: 'Place',
  name: 'Nom',
  entry: 'Participation',
  entries_heading: 'Participations du tirage',
  campaign_line: 'Concours : {prize}',
};

export default messages;
