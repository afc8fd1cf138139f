import type { ShareMessages } from './index.js';

const messages: ShareMessages = {
  heading: 'Compartilhar',
  share: 'Compartilhar',
  share_on: 'Compartilhar no {network}',
  copy_link: 'Copiar link',
  copied: 'Link copiado',
  copy_fallback: 'Copie este link:',
  text_presave: 'Faça o pré-save de “{title}”, de {artist}',
  text_listen: 'Ouça “{title}”, de {artist}',
  card_countries: '{min, plural, one {Países com # fã ou mais} other {Países com # fãs ou mais}}',
};
export default messages;
