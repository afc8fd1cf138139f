import type { ReceiptMessages } from './index.js';

const messages: ReceiptMessages = {
  title: 'আপনি {title} প্রি-সেভ করেছেন',
  heading: 'সব ঠিক আছে',
  saved: '✓ আপনার {service} লাইব্রেরিতে সেভ হয়েছে{dated, select, yes { ({date})} other {}}।',
  failed_authorization:
    'Dropday এটি সেভ করতে পারেনি: {service}-এ আপনার অনুমতি শেষ হয়ে গেছে (আপনি সেখানে Dropday-এর সংযোগ বিচ্ছিন্ন করেছেন, অথবা {service} অনুমতি প্রত্যাহার করেছে)। এটি সেভ করাতে ক্যাম্পেইন পেজ থেকে আবার প্রি-সেভ করুন।',
  failed_other: 'Dropday রিলিজটি আপনার {service} লাইব্রেরিতে সেভ করতে পারেনি। শিল্পী তাঁর ড্যাশবোর্ডে এর কারণ দেখতে পারেন।',
  cancelled: 'এই প্রি-সেভটি বাতিল করা হয়েছে।',
  saving_now:
    'রিলিজ প্রকাশিত হয়েছে: Dropday এখন “{title}” আপনার {service} লাইব্রেরিতে সেভ করছে{follow, select, yes { এবং {artist}-কে ফলো করছে} other {}}।',
  scheduled:
    '{date}-এ Dropday {artist}-এর “{title}” আপনার {service} লাইব্রেরিতে সেভ করবে{follow, select, yes { এবং {artist}-কে ফলো করবে} other {}}। এর বাইরে কিছু নয়।',
  action_needed: 'পদক্ষেপ প্রয়োজন',
  reauthorize:
    'এই রিলিজ প্রকাশের আগেই {service} অনুমতির মেয়াদ শেষ করে দেয়, তাই ততদিনে এই অনুমতির মেয়াদ ফুরিয়ে যাবে। অনুগ্রহ করে {date}-এর পরে আবার প্রি-সেভ করুন, তাহলে Dropday রিলিজের দিন এটি সেভ করতে পারবে।',
  keep_address: 'পরে আপনার প্রি-সেভ দেখতে এই পেজের ঠিকানাটি রেখে দিন।',
  cancel: 'এই প্রি-সেভ বাতিল করুন',
  erase: 'আমার ডেটা মুছুন',
  erase_note: 'মুছে ফেললে এই প্রি-সেভ মুছে যায় এবং, অন্য কিছুর প্রয়োজন না থাকলে, আপনার {service} অনুমতিও।',
  erased_title: 'আপনার ডেটা মুছে ফেলা হয়েছে',
  erased_heading: 'মুছে ফেলা হয়েছে',
  erased_text: 'আপনার প্রি-সেভ এবং এটি যে অনুমতি ব্যবহার করেছিল, দুটোই মুছে ফেলা হয়েছে। কিছুই সেভ করা হবে না।',
};
export default messages;
