import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'Traga seus amigos',
};

export default messages;
