import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'Bring deine Freunde mit',
};

export default messages;
