import type { InAppMessages } from './index.js';

const messages: InAppMessages = {
  notice:
    'Le navigateur intégré de {app} bloque souvent la connexion aux services de streaming. Si cela arrive, nous vous aidons à ouvrir cette page dans votre propre navigateur.',
  title: 'Ouvrir dans votre navigateur',
  why: 'Le navigateur intégré de {app} interrompt souvent la connexion à {service} en cours de route. Ouvrez cette page dans votre propre navigateur pour faire le pré-save : {service} y sera déjà choisi.',
  open_browser: 'Ouvrir dans mon navigateur',
  ios_dots_external: 'Touchez ··· en haut à droite, puis « Ouvrir dans un navigateur externe ».',
  ios_dots_browser: 'Touchez ··· en haut à droite, puis « Ouvrir dans le navigateur ».',
  ios_share_safari: 'Touchez le bouton de partage, puis « Ouvrir dans Safari ».',
  ios_generic: 'Ouvrez le menu de l’app (souvent ··· ou le bouton de partage) et choisissez d’ouvrir la page dans votre navigateur.',
  copy_intro: 'Ou copiez le lien et collez-le dans la barre d’adresse de votre navigateur :',
  link_label: 'Lien vers cette page',
  copy: 'Copier le lien',
  copied: 'Lien copié. Ouvrez votre navigateur et collez-le dans la barre d’adresse.',
  copy_failed: 'La copie n’a pas fonctionné ici. Appuyez longuement sur le lien ci-dessus, puis choisissez Copier.',
  continue_here: 'Continuer ici quand même',
  continue_note: 'Si la connexion reste bloquée, revenez sur cette page et ouvrez-la dans votre navigateur.',
  chosen: 'Vous avez choisi {service}. Touchez son bouton pour continuer votre pré-save.',
  musickit_stuck:
    'Apple Music n’a pas encore répondu. Sa connexion reste souvent bloquée dans les navigateurs intégrés des apps : ouvrez cette page dans votre navigateur et réessayez-y. Si Apple Music répond entre-temps, votre pré-save continue tout seul.',
};
export default messages;
