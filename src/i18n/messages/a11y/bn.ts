import type { A11yMessages } from './index.js';

const messages: A11yMessages = {
  busy_try_again_now: 'এখনই আবার চেষ্টা করুন',
};
export default messages;
