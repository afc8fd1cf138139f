import type { ConsentMessages } from './index.js';

const messages: ConsentMessages = {
  text: 'بالمتابعة تسمح لـ Dropday بحفظ «{title}» للفنان {artist} في مكتبتك على {service}{follow, select, yes { وبمتابعة {artist}} other {}} {timing, select, local {في {date} {midnight, select, yes {عند منتصف الليل} other {الساعة {time}}} بتوقيتك المحلي، عند صدوره في منطقتك} other {في {when}}}. لا شيء غير ذلك: لا ينشر Dropday أي شيء، ولا يقرأ سجل استماعك، ولا يتواصل معك، ويحذف صلاحية وصوله بمجرد إتمام الحفظ.',
  for_service: '{service}: {text}',
};
export default messages;
