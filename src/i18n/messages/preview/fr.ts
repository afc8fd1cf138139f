import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'Écoutez en avant-première',
  intro: 'Un extrait de {title}, pour les fans qui l’ont pré-enregistré.',
  player_label: 'Extrait de {title}',
  no_player: 'Votre navigateur ne peut pas lire cet extrait.',
  keep_private: 'Cet extrait est pour vous ; merci de ne pas le partager ni l’enregistrer — tout ce qui est joué peut être enregistré.',
  from: 'Vous pourrez l’écouter à partir du {date}.',
  not_yet: 'Pas encore — cet extrait sera disponible à partir du {date}.',
  expired: 'Ce lien a expiré : rechargez votre reçu pour l’écouter à nouveau.',
  only_presavers: 'Seuls les fans qui ont fait le pré-enregistrement peuvent écouter cet extrait.',
};

export default messages;
