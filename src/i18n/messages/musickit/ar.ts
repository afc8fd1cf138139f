import type { MusickitMessages } from './index.js';

const messages: MusickitMessages = {
  title: 'احفظ {title} مسبقًا على Apple Music',
  heading: 'الحفظ المسبق على Apple Music',
  continue: 'المتابعة باستخدام Apple Music',
  loading: 'جارٍ تحميل Apple Music…',
  needs_javascript: 'يتطلب تسجيل الدخول إلى Apple Music تفعيل JavaScript. يُرجى تفعيله، أو الحفظ المسبق على خدمة أخرى.',
  apple_asks: 'ستطلب منك Apple السماح لـ «{app}» بالوصول إلى مكتبتك على Apple Music. لا يضيف Dropday إليها سوى هذا الإصدار.',
  ready: 'اضغط الزر لتسجيل الدخول باستخدام Apple Music.',
  start_failed: 'تعذّر تشغيل Apple Music. يُرجى المحاولة لاحقًا، أو الحفظ المسبق على خدمة أخرى.',
  load_failed: 'تعذّر تحميل Apple Music. تحقق من اتصالك أو من أداة حظر المحتوى، ثم أعد تحميل هذه الصفحة.',
  waiting: 'في انتظار Apple Music…',
  saving: 'جارٍ حفظ حفظك المسبق…',
  record_failed: 'تعذّر على Dropday تسجيل حفظك المسبق. يُرجى البدء من جديد.',
  unreachable: 'تعذّر الوصول إلى Dropday. يُرجى التحقق من اتصالك والبدء من جديد.',
  denied: 'لم تسمح بالوصول في Apple Music، لذا لم يُحفظ أي شيء. يمكنك المحاولة مرة أخرى أو الرجوع.',
  not_set_up: 'لم يُضبط Apple Music بشكل صحيح على خادم Dropday هذا، لذا لا يعمل الحفظ المسبق عليه حاليًا. لم يُحفظ أي شيء.',
  no_authorization: 'لم يمنح Apple Music تفويضًا، لذا لم يُحفظ أي شيء. يُرجى البدء من جديد.',
  token_refused: 'لم يقبل Apple Music تسجيل الدخول هذا (أُلغي التفويض أو انتهت صلاحيته). لم يُحفظ أي شيء؛ يُرجى البدء من جديد.',
  credentials_refused:
    'لم يُضبط Apple Music بشكل صحيح على خادم Dropday هذا (رُفضت بيانات اعتماد المطوّر الخاصة به). لم يُحفظ أي شيء؛ على المشغّل إصلاح ذلك.',
  unexpected: 'لم يستجب Apple Music كما هو متوقع. لم يُحفظ أي شيء؛ يُرجى المحاولة مرة أخرى بعد قليل.',
};
export default messages;
