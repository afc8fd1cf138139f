import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'Der Tresor',
};

export default messages;
