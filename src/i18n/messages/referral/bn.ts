import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'আপনার বন্ধুদের নিয়ে আসুন',
};

export default messages;
