import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'अपने दोस्तों को लाएँ',
};

export default messages;
