import type { CampaignMessages } from './index.js';

const messages: CampaignMessages = {
  out_local: 'Sortie le {date} à {time}, heure locale',
  out_at: 'Sortie le {when}',
  partly_out: 'Déjà sorti dans certains pays : faites le pré-enregistrement maintenant, il sera enregistré dès la sortie chez vous.',
  presave_on: 'Pré-enregistrer sur {service}',
  listen_on: 'Écouter sur {service}',
  out_now: 'Disponible maintenant',
  links_preparing: 'Les liens vers la sortie sont en préparation.',
  already_out_here: 'Déjà sorti chez vous ?',
  release_type: '{type, select, single {Single} ep {EP} album {Album} other {Sortie}}',
  description:
    '{type, select, single {Single} ep {EP} album {Album} other {Sortie}} de {artist}. {released, select, yes {Disponible maintenant.} other {Pré-enregistrez-le maintenant.}}',
  demo_badge: 'DÉMO',
  demo_note: 'Une campagne de démonstration sur le service Sandbox intégré.',
  artwork_alt: 'Pochette de {title}',
  countdown_days: '{days, plural, one {# jour} many {# de jours} other {# jours}}',
  countdown_left: 'Sortie dans {time}',
  countdown_out: 'Disponible maintenant : enregistrement dans la bibliothèque de chaque personne inscrite',
};
export default messages;
