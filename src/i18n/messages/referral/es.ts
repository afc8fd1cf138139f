import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'Trae a tus amigos',
};

export default messages;
