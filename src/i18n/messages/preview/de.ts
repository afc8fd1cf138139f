import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'Vorab hören',
};

export default messages;
