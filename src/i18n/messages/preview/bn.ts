import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'আগেই শুনুন',
};

export default messages;
