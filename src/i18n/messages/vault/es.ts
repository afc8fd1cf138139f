import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'La bóveda',
};

export default messages;
