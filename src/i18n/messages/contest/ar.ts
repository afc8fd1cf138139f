import type { ContestMessages } from './index.js';

const messages: ContestMessages = {
  heading: 'مسابقة',
};

export default messages;
