import type { ShareMessages } from './index.js';

const messages: ShareMessages = {
  heading: 'Partager',
  share: 'Partager',
  share_on: 'Partager sur {network}',
  copy_link: 'Copier le lien',
  copied: 'Lien copié',
  copy_fallback: 'Copiez ce lien\u00a0:',
  text_presave: 'Faites le pré-save de «\u00a0{title}\u00a0» de {artist}',
  text_listen: 'Écoutez «\u00a0{title}\u00a0» de {artist}',
  card_countries: '{min, plural, one {Pays avec # fan ou plus} other {Pays avec # fans ou plus}}',
};
export default messages;
