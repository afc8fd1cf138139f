import type { CampaignMessages } from './index.js';

const messages: CampaignMessages = {
  out_local: '{date} তারিখে {time}-এ প্রকাশ, আপনার স্থানীয় সময় অনুযায়ী',
  out_at: '{when}-এ প্রকাশ',
  partly_out: 'কয়েকটি দেশে ইতিমধ্যে প্রকাশিত — এখনই প্রি-সেভ করুন, আপনার এলাকায় প্রকাশিত হলেই এটি সেভ হয়ে যাবে।',
  presave_on: '{service}-এ প্রি-সেভ করুন',
  listen_on: '{service}-এ শুনুন',
  out_now: 'এখন উপলব্ধ',
  links_preparing: 'রিলিজের লিংক তৈরি করা হচ্ছে।',
  already_out_here: 'আপনার এলাকায় কি ইতিমধ্যে প্রকাশিত?',
  release_type: '{type, select, single {সিঙ্গেল} ep {EP} album {অ্যালবাম} other {রিলিজ}}',
  description:
    '{artist}-এর {type, select, single {সিঙ্গেল} ep {EP} album {অ্যালবাম} other {রিলিজ}}। {released, select, yes {এখন উপলব্ধ।} other {এখনই প্রি-সেভ করুন।}}',
  demo_badge: 'ডেমো',
  demo_note: 'বিল্ট-ইন Sandbox সার্ভিসে একটি ডেমো ক্যাম্পেইন।',
  artwork_alt: '{title}-এর আর্টওয়ার্ক',
  countdown_days: '{days, plural, one {# দিন} other {# দিন}}',
  countdown_left: 'রিলিজ হতে আর {time}',
  countdown_out: 'এখন উপলব্ধ — প্রি-সেভ করা প্রত্যেকের লাইব্রেরিতে সেভ করা হচ্ছে',
};
export default messages;
