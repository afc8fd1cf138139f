import type { A11yMessages } from './index.js';

const messages: A11yMessages = {
  busy_try_again_now: 'Tentar de novo agora',
};
export default messages;
