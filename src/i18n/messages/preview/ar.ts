import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'استمع مبكرًا',
};

export default messages;
