import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'Invitez vos amis',
};

export default messages;
