import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'استمع مبكرًا',
  intro: 'مقطع من {title} للمعجبين الذين حفظوه مسبقًا.',
  player_label: 'مقطع من {title}',
  no_player: 'لا يستطيع متصفحك تشغيل هذا المقطع.',
  keep_private: 'هذا المقطع لك؛ نرجو ألّا تشاركه أو تسجّله — فكل ما يُشغَّل يمكن تسجيله.',
  from: 'يمكنك الاستماع ابتداءً من {date}.',
  not_yet: 'ليس بعد — يمكن الاستماع إلى هذا المقطع ابتداءً من {date}.',
  expired: 'انتهت صلاحية هذا الرابط: أعد تحميل إيصالك لتستمع مجددًا.',
  only_presavers: 'لا يستمع إلى هذا المقطع إلا من حفظ الإصدار مسبقًا.',
};

export default messages;
