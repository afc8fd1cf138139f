import type { ContestMessages } from './index.js';

const messages: ContestMessages = {
  heading: 'Gewinnspiel',
};

export default messages;
