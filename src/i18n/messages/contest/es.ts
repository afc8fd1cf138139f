import type { ContestMessages } from './index.js';

const messages: ContestMessages = {
  heading: 'Concurso',
};

export default messages;
