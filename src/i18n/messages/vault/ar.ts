import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'الخزنة',
};

export default messages;
