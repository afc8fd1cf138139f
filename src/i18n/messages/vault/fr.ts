import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'Le coffre',
};

export default messages;
