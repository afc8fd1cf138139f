import type { ContestMessages } from './index.js';

const messages: ContestMessages = {
  heading: 'Concours',
};

export default messages;
