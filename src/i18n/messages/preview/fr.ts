import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'Écoutez en avant-première',
};

export default messages;
