import type { ShareMessages } from './index.js';

const messages: ShareMessages = {
  heading: 'Compartir',
  share: 'Compartir',
  share_on: 'Compartir en {network}',
  copy_link: 'Copiar enlace',
  copied: 'Enlace copiado',
  copy_fallback: 'Copia este enlace:',
  text_presave: 'Haz el pre-save de «{title}» de {artist}',
  text_listen: 'Escucha «{title}» de {artist}',
  card_countries: '{min, plural, one {Países con # fan o más} other {Países con # fans o más}}',
};
export default messages;
