import type { ForeverMessages } from './index.js';

const messages: ForeverMessages = {
  heading: 'Enregistrer aussi les prochaines sorties',
  consent: 'Pré-enregistrer aussi les prochaines sorties de {artist} dans ma bibliothèque {service}, jusqu’à ce que j’arrête.',
  explain:
    'Quand {artist} annonce une nouvelle sortie sur ce Dropday, elle est pré-enregistrée pour vous sur {service} avec cette même autorisation, et vous êtes prévenu si vous avez laissé une adresse e-mail. Vous pouvez arrêter à tout moment.',
  submit: 'Enregistrer les prochaines sorties',
  must_tick: 'Cochez « {consent} » pour activer l’enregistrement permanent.',
  on: 'L’enregistrement permanent est actif depuis le {date} : les prochaines sorties de {artist} sont pré-enregistrées dans votre bibliothèque {service}.',
  stop: 'Arrêter l’enregistrement permanent',
  stopped:
    'L’enregistrement permanent est arrêté : plus rien ne sera enregistré. Les pré-enregistrements déjà faits restent ; vous pouvez annuler chacun sur sa page de reçu.',
  page_title: 'Enregistrement permanent — {artist}',
  erased: 'Cet enregistrement permanent n’existe plus.',
};
export default messages;
