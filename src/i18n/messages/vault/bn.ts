import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'ভল্ট',
};

export default messages;
