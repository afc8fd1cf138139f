import type { CommonMessages } from './index.js';

const messages: CommonMessages = {
  back_to_campaign: 'ক্যাম্পেইনে ফিরে যান',
  fans_presaved: '{count, plural, one {# জন ভক্ত প্রি-সেভ করেছেন} other {# জন ভক্ত প্রি-সেভ করেছেন}}',
};
export default messages;
