import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'O cofre',
};

export default messages;
