import type { MessagesMessages } from './index.js';

const messages: MessagesMessages = {
  confirm_subject: '{artist}-এর জন্য আপনার ঠিকানা নিশ্চিত করুন',
  confirm_heading: 'আপনার ঠিকানা নিশ্চিত করুন',
  confirm_body: 'আপনি এই ঠিকানায় “{title}” নিয়ে {artist}-এর খবর পেতে চেয়েছেন। ঠিকানাটি নিশ্চিত করুন, তারপর বার্তা আসা শুরু হবে:',
  confirm_button: 'আমার ঠিকানা নিশ্চিত করুন',
  confirm_expires: 'এই লিংকটি {date} পর্যন্ত কাজ করবে।',
  confirm_ignore: 'আপনি নন? এই বার্তাটি উপেক্ষা করুন: নিশ্চিত না করলে এই ঠিকানায় আর কিছু পাঠানো হবে না।',
  out_now_subject: '{artist}-এর {title} এখন প্রকাশিত',
  out_now_body: '{artist}-এর “{title}” এখন প্রকাশিত।',
  listen_on: '{service}-এ শুনুন',
  listen: 'এখনই শুনুন',
  verified_subject: '{title} আপনার {service} লাইব্রেরিতে আছে',
  verified_body:
    'এটি আপনার {service} লাইব্রেরিতে আছে — যাচাই করা। Dropday প্রকাশের দিন {artist}-এর “{title}” সেভ করেছে এবং সেটি সেখানে আছে কিনা যাচাই করেছে।',
  failed_body: 'Dropday {artist}-এর “{title}” আপনার {service} লাইব্রেরিতে সেভ করতে পারেনি: {why}',
  failed_listen: 'তবুও শুনুন',
  why_authorization: '{service}-এ আপনার অনুমতি প্রকাশের দিনের আগেই শেষ হয়ে গেছে।',
  why_not_found: 'Dropday যখন খুঁজেছিল, তখন {service}-এ প্রকাশনাটি ছিল না।',
  why_other: '{service} সেভ করতে অস্বীকার করেছে।',
  reauth_subject: '{title} আবার প্রি-সেভ করুন: {service}-এ আপনার অনুমতি প্রকাশের আগেই শেষ হচ্ছে',
  reauth_body:
    '{service} আপনার লাইব্রেরিতে সেভ করার Dropday-এর অনুমতি {date} তারিখে শেষ করে দেয়, {artist}-এর “{title}” প্রকাশের আগেই। আবার প্রি-সেভ করুন, যাতে প্রকাশের দিন এটি সেভ করা যায়:',
  reauth_button: 'আবার প্রি-সেভ করুন',
  forever_subject: 'আমরা {date} তারিখে {title} সেভ করব',
  forever_body: 'আপনি Dropday-কে {artist}-এর নতুন প্রকাশনা সেভ করতে বলেছেন। “{title}” {date} তারিখে আপনার {service} লাইব্রেরিতে সেভ করা হবে।',
  forever_cancel: 'আর চান না? চিরস্থায়ী সেভ এখানে বন্ধ করুন',
  artwork_alt: '{title}-এর প্রচ্ছদ',
  footer_why: 'আপনি এটি পাচ্ছেন কারণ আপনি Dropday-তে {artist}-এর পেজে এটি চেয়েছিলেন।',
  footer_preferences: 'আপনার পছন্দ: সদস্যতা ত্যাগ করুন বা আপনার ডেটা মুছুন',
  footer_unsubscribe: 'সদস্যতা ত্যাগ করুন',
  footer_sender: '{sender} পাঠিয়েছে',
  push_out_now_title: '{title} এখন প্রকাশিত',
  push_out_now_body: '{artist}-এর। শুনতে ট্যাপ করুন।',
  push_verified_body: 'এটি আপনার {service} লাইব্রেরিতে আছে — যাচাই করা।',
  push_failed_body: 'Dropday এটি আপনার {service} লাইব্রেরিতে সেভ করতে পারেনি। তবুও শুনতে ট্যাপ করুন।',
};
export default messages;
