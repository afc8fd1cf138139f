import type { MusickitMessages } from './index.js';

const messages: MusickitMessages = {
  title: 'Apple Music-এ {title} প্রি-সেভ করুন',
  heading: 'Apple Music-এ প্রি-সেভ করুন',
  continue: 'Apple Music দিয়ে এগিয়ে যান',
  loading: 'Apple Music লোড হচ্ছে…',
  needs_javascript: 'Apple Music-এ সাইন ইন করতে JavaScript লাগে। অনুগ্রহ করে এটি চালু করুন, অথবা অন্য কোনো সার্ভিসে প্রি-সেভ করুন।',
  apple_asks: 'Apple আপনাকে “{app}”-কে আপনার Apple Music লাইব্রেরিতে অ্যাক্সেস দিতে বলবে। Dropday সেখানে শুধু এই রিলিজটি যোগ করে।',
  ready: 'Apple Music দিয়ে সাইন ইন করতে বোতামটি চাপুন।',
  start_failed: 'Apple Music চালু করা যায়নি। অনুগ্রহ করে পরে আবার চেষ্টা করুন, অথবা অন্য কোনো সার্ভিসে প্রি-সেভ করুন।',
  load_failed: 'Apple Music লোড করা যায়নি। আপনার সংযোগ বা কনটেন্ট ব্লকার দেখে নিয়ে এই পেজটি আবার লোড করুন।',
  waiting: 'Apple Music-এর জন্য অপেক্ষা করা হচ্ছে…',
  saving: 'আপনার প্রি-সেভ সেভ করা হচ্ছে…',
  record_failed: 'Dropday আপনার প্রি-সেভ রেকর্ড করতে পারেনি। অনুগ্রহ করে আবার শুরু করুন।',
  unreachable: 'Dropday-এর সঙ্গে যোগাযোগ করা যায়নি। অনুগ্রহ করে আপনার সংযোগ দেখে আবার শুরু করুন।',
  denied: 'আপনি Apple Music-এ অ্যাক্সেসের অনুমতি দেননি, তাই কিছুই সেভ হয়নি। আপনি আবার চেষ্টা করতে পারেন, অথবা ফিরে যেতে পারেন।',
  not_set_up: 'এই Dropday সার্ভারে Apple Music ঠিকমতো সেট আপ করা নেই, তাই এখন সেখানে প্রি-সেভ কাজ করছে না। কিছুই সেভ হয়নি।',
  no_authorization: 'Apple Music কোনো অনুমতি দেয়নি, তাই কিছুই সেভ হয়নি। অনুগ্রহ করে আবার শুরু করুন।',
  token_refused: 'Apple Music এই সাইন ইন গ্রহণ করেনি (অনুমতি প্রত্যাহার করা হয়েছে বা মেয়াদ শেষ)। কিছুই সেভ হয়নি; অনুগ্রহ করে আবার শুরু করুন।',
  credentials_refused:
    'এই Dropday সার্ভারে Apple Music ঠিকমতো সেট আপ করা নেই (এর ডেভেলপার ক্রেডেনশিয়াল প্রত্যাখ্যাত হয়েছে)। কিছুই সেভ হয়নি; অপারেটরকে এটি ঠিক করতে হবে।',
  unexpected: 'Apple Music প্রত্যাশামতো সাড়া দেয়নি। কিছুই সেভ হয়নি; অনুগ্রহ করে একটু পরে আবার চেষ্টা করুন।',
};
export default messages;
