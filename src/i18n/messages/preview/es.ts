import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'Escucha antes que nadie',
};

export default messages;
