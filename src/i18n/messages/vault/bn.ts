import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'ভল্ট',
  intro:
    '{artist}-এর কাছ থেকে বোনাস কনটেন্ট। প্রতিটি ডাউনলোড লিংক {minutes} মিনিট ধরে এবং শুধু আপনার জন্য কাজ করে: নতুন লিংক পেতে এই পেজটি আবার লোড করুন।',
  kind_audio: 'অডিও',
  kind_image: 'ছবি',
  kind_video: 'ভিডিও',
  kind_document: 'ডকুমেন্ট',
  kind_archive: 'ZIP আর্কাইভ',
  kind_link: 'লিংক',
  download: 'ডাউনলোড করুন',
  open_link: 'লিংক খুলুন',
  downloads_left: '{left, plural, one {আর # বার ডাউনলোড করা যাবে} other {আর # বার ডাউনলোড করা যাবে}}',
  locked: 'লক করা',
  locked_presave: 'যে ফ্যানদের প্রি-সেভ তাদের লাইব্রেরির পথে আছে, তাদের জন্য খোলে।',
  locked_contact: 'এই পেজে রিমাইন্ডারের জন্য আপনার ইমেল ঠিকানা নিশ্চিত করলে খোলে।',
  locked_referrals: 'আপনার লিংক দিয়ে {need, plural, one {# জন বন্ধুর প্রি-সেভ} other {# জন বন্ধুর প্রি-সেভ}} যাচাই হলে খোলে — এখন পর্যন্ত {have}।',
  locked_release: 'রিলিজের সময় খোলে: {when}।',
  link_expired_title: 'এই লিংকের মেয়াদ শেষ',
  link_expired: 'ডাউনলোড লিংক কয়েক মিনিটই কাজ করে। নতুন লিংক পেতে আপনার রসিদে ফিরে যান।',
  link_invalid_title: 'এই লিংকটি আপনার নয়',
  link_invalid: 'এই ডাউনলোড লিংকটি অন্য একটি রসিদের, অথবা এটি বদলানো হয়েছে। নিজের রসিদ থেকে ভল্টটি খুলুন।',
  not_qualified_title: 'এখনও লক করা',
  not_qualified: 'এই কনটেন্টটি এখনও আপনার জন্য খোলেনি। আপনার রসিদে লেখা আছে কীসে এটি খোলে।',
  limit_title: 'ডাউনলোডের সীমা পূর্ণ',
  limit_reached:
    'আপনি এটি {limit, plural, one {# বার} other {# বার}} ডাউনলোড করেছেন, শিল্পী যতবার অনুমতি দেন। কোনো ডাউনলোড মাঝপথে থেমে গেলে আপনার ব্রাউজার সেটি আবার চালু করতে পারে।',
  gone: 'শিল্পী এই কনটেন্টটি ভল্ট থেকে সরিয়ে দিয়েছেন।',
  back_to_receipt: 'আপনার রসিদে ফিরে যান',
};

export default messages;
