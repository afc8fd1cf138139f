import type { ShareMessages } from './index.js';

const messages: ShareMessages = {
  heading: 'শেয়ার করুন',
  share: 'শেয়ার করুন',
  share_on: '{network}-এ শেয়ার করুন',
  copy_link: 'লিংক কপি করুন',
  copied: 'লিংক কপি হয়েছে',
  copy_fallback: 'এই লিংকটি কপি করুন:',
  text_presave: '{artist}-এর “{title}” প্রি-সেভ করুন',
  text_listen: '{artist}-এর “{title}” শুনুন',
  card_countries: '{min, plural, one {অন্তত # জন ভক্ত আছেন এমন দেশ} other {অন্তত # জন ভক্ত আছেন এমন দেশ}}',
};
export default messages;
