import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'वॉल्ट',
};

export default messages;
