import type { ConsentMessages } from './index.js';

const messages: ConsentMessages = {
  text: 'এগিয়ে গেলে আপনি Dropday-কে অনুমতি দিচ্ছেন {artist}-এর “{title}” {timing, select, local {{date} তারিখে আপনার স্থানীয় সময় অনুযায়ী {midnight, select, yes {মধ্যরাতে} other {{time}-এ}}, যখন এটি আপনার এলাকায় প্রকাশিত হবে,} other {{when}-এ}} আপনার {service} লাইব্রেরিতে সেভ করতে{follow, select, yes { এবং {artist}-কে ফলো করতে} other {}}। এর বাইরে কিছু নয়: Dropday কিছু পোস্ট করে না, আপনার শোনার ইতিহাস পড়ে না, আপনার সঙ্গে যোগাযোগ করে না, এবং সেভ সম্পন্ন হলেই নিজের অ্যাক্সেস মুছে ফেলে।',
  for_service: '{service}: {text}',
};
export default messages;
