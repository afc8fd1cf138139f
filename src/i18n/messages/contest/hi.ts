import type { ContestMessages } from './index.js';

const messages: ContestMessages = {
  heading: 'प्रतियोगिता',
};

export default messages;
