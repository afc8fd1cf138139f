import type { BusyMessages } from './index.js';

const messages: BusyMessages = {
  title: 'مشغول — حاول مرة أخرى بعد قليل',
  heading: 'مشغول الآن',
  text: 'هذا الخادم مشغول الآن. يُرجى المحاولة مرة أخرى بعد بضع ثوانٍ. ستعيد هذه الصفحة المحاولة تلقائيًا بعد {seconds, plural, zero {# ثانية} one {ثانية واحدة} two {ثانيتين} few {# ثوانٍ} many {# ثانية} other {# ثانية}}.',
};
export default messages;
