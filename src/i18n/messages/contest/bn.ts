import type { ContestMessages } from './index.js';

const messages: ContestMessages = {
  heading: 'প্রতিযোগিতা',
};

export default messages;
