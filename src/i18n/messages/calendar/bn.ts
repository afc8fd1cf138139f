import type { CalendarMessages } from './index.js';

const messages: CalendarMessages = {
  summary: '{title} — {artist}: এখন প্রকাশিত',
  description: '{artist}-এর “{title}” প্রকাশিত হয়েছে। আপনার সার্ভিসে শুনুন: {link}',
  alarm: '{artist}-এর “{title}” এখন প্রকাশিত',
  heading: 'আপনার ক্যালেন্ডারে যোগ করুন',
  note: 'কোনো অ্যাকাউন্ট লাগবে না: প্রকাশের সঙ্গে সঙ্গে আপনার ক্যালেন্ডার মনে করিয়ে দেবে।',
  add_ics: 'ক্যালেন্ডারে যোগ করুন (.ics)',
  add_google: 'Google Calendar-এ যোগ করুন',
};
export default messages;
