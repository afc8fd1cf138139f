import type { CommonMessages } from './index.js';

const messages: CommonMessages = {
  back_to_campaign: 'अभियान पर वापस जाएँ',
  fans_presaved: '{count, plural, one {# प्रशंसक ने प्री-सेव किया} other {# प्रशंसकों ने प्री-सेव किया}}',
};
export default messages;
