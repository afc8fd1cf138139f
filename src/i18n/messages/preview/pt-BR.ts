import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'Ouça antes',
};

export default messages;
