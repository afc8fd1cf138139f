/** The tracking prompt on a campaign page with the artist's ad pixels (docs/conversions.md). */
export default {
  prompt: '{artist}-এর বিজ্ঞাপন অংশীদারদের (Meta, TikTok, Google) এই ভিজিট পরিমাপ করতে দেবেন?',
  allow: 'অনুমতি দিন',
  deny: 'না, ধন্যবাদ',
  failed: 'আপনার উত্তর সংরক্ষণ করা যায়নি। আবার চেষ্টা করুন।',
  change: 'বিজ্ঞাপন পরিমাপ নিয়ে আপনার পছন্দ বদলান',
  saved: 'আপনার উত্তর সংরক্ষিত হয়েছে।',
};
