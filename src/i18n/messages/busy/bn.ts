import type { BusyMessages } from './index.js';

const messages: BusyMessages = {
  title: 'ব্যস্ত — একটু পরে আবার চেষ্টা করুন',
  heading: 'এই মুহূর্তে ব্যস্ত',
  text: 'এই সার্ভারটি এই মুহূর্তে ব্যস্ত। অনুগ্রহ করে কয়েক সেকেন্ড পরে আবার চেষ্টা করুন। এই পেজটি {seconds, plural, one {# সেকেন্ড} other {# সেকেন্ড}} পরে নিজে থেকেই আবার চেষ্টা করবে।',
};
export default messages;
