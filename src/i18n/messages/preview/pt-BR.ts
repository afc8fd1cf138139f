import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'Ouça antes',
  intro: 'Uma prévia de {title}, para quem fez o pré-save.',
  player_label: 'Prévia de {title}',
  no_player: 'Seu navegador não consegue tocar esta prévia.',
  keep_private: 'Esta prévia é para você; por favor, não compartilhe nem grave — tudo o que toca pode ser gravado.',
  from: 'Você pode ouvir a partir de {date}.',
  not_yet: 'Ainda não — esta prévia toca a partir de {date}.',
  expired: 'Este link expirou: recarregue seu comprovante para ouvir de novo.',
  only_presavers: 'Só quem fez o pré-save pode ouvir esta prévia.',
};

export default messages;
