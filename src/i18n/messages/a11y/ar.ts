import type { A11yMessages } from './index.js';

const messages: A11yMessages = {
  busy_try_again_now: 'أعد المحاولة الآن',
};
export default messages;
