import type { ReceiptMessages } from './index.js';

const messages: ReceiptMessages = {
  title: 'حفظت {title} مسبقًا',
  heading: 'تم كل شيء',
  saved: '✓ حُفظ في مكتبتك على {service}{dated, select, yes { في {date}} other {}}.',
  failed_authorization:
    'تعذّر على Dropday حفظه: انتهى إذنك على {service} (فصلت Dropday هناك، أو سحبت {service} الإذن). لكي يُحفظ، احفظه مسبقًا مرة أخرى من صفحة الحملة.',
  failed_other: 'تعذّر على Dropday حفظ الإصدار في مكتبتك على {service}. يمكن للفنان معرفة السبب من لوحة التحكم الخاصة به.',
  cancelled: 'أُلغي هذا الحفظ المسبق.',
  saving_now: 'صدر الإصدار: يحفظ Dropday الآن «{title}» في مكتبتك على {service}{follow, select, yes { ويتابع {artist}} other {}}.',
  scheduled:
    'في {date} سيحفظ Dropday «{title}» للفنان {artist} في مكتبتك على {service}{follow, select, yes { وسيتابع {artist}} other {}}. لا شيء غير ذلك.',
  action_needed: 'مطلوب إجراء',
  reauthorize:
    'تُنهي {service} التفويض قبل صدور هذا الإصدار، لذا سيكون هذا التفويض قد انتهى بحلول ذلك الوقت. يُرجى الحفظ المسبق مرة أخرى بعد {date}، ليتمكن Dropday من حفظه يوم الإصدار.',
  keep_address: 'احتفظ بعنوان هذه الصفحة لتتابع حفظك المسبق لاحقًا.',
  cancel: 'إلغاء هذا الحفظ المسبق',
  erase: 'محو بياناتي',
  erase_note: 'يحذف المحو هذا الحفظ المسبق، ويحذف أيضًا تفويضك على {service} إن لم يكن هناك ما يحتاج إليه.',
  erased_title: 'مُحيت بياناتك',
  erased_heading: 'تم المحو',
  erased_text: 'حُذف حفظك المسبق والتفويض الذي استخدمه. لن يُحفظ أي شيء.',
};
export default messages;
