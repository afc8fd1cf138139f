import type { CommonMessages } from './index.js';

const messages: CommonMessages = {
  back_to_campaign: 'Zurück zur Kampagne',
  fans_presaved: '{count, plural, one {# Fan hat vorgemerkt} other {# Fans haben vorgemerkt}}',
};
export default messages;
