import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'ادعُ أصدقاءك',
};

export default messages;
