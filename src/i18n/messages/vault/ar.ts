import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'الخزنة',
  intro: 'محتوى إضافي من {artist}. يعمل كل رابط تنزيل لمدة {minutes} دقيقة ولك وحدك: أعد تحميل هذه الصفحة للحصول على روابط جديدة.',
  kind_audio: 'صوت',
  kind_image: 'صورة',
  kind_video: 'فيديو',
  kind_document: 'مستند',
  kind_archive: 'أرشيف ZIP',
  kind_link: 'رابط',
  download: 'تنزيل',
  open_link: 'فتح الرابط',
  downloads_left:
    '{left, plural, zero {لم يتبقَّ أي تنزيل} one {تبقّى تنزيل واحد} two {تبقّى تنزيلان} few {تبقّت # تنزيلات} many {تبقّى # تنزيلًا} other {تبقّى # تنزيل}}',
  locked: 'مقفل',
  locked_presave: 'يُفتح للمعجبين الذين يكون حفظهم المسبق في طريقه إلى مكتبتهم.',
  locked_contact: 'يُفتح عندما تؤكد بريدك الإلكتروني لتذكير على هذه الصفحة.',
  locked_referrals:
    'يُفتح عند التحقق من {need, plural, zero {# حفظ مسبق} one {الحفظ المسبق لصديق واحد} two {الحفظ المسبق لصديقين} few {الحفظ المسبق لـ# أصدقاء} many {الحفظ المسبق لـ# صديقًا} other {الحفظ المسبق لـ# صديق}} عبر رابطك — لديك {have}.',
  locked_release: 'يُفتح عند الإصدار: {when}.',
  link_expired_title: 'انتهت صلاحية هذا الرابط',
  link_expired: 'تعمل روابط التنزيل لبضع دقائق فقط. عُد إلى إيصالك للحصول على رابط جديد.',
  link_invalid_title: 'هذا الرابط ليس لك',
  link_invalid: 'رابط التنزيل هذا يخص إيصالًا آخر أو تم تغييره. افتح الخزنة من إيصالك أنت.',
  not_qualified_title: 'لا يزال مقفلًا',
  not_qualified: 'هذا العنصر لم يُفتح لك بعد. يوضح إيصالك ما الذي يفتحه.',
  limit_title: 'بلغت حد التنزيل',
  limit_reached:
    'لقد نزّلت هذا {limit, plural, zero {# مرة} one {مرة واحدة} two {مرتين} few {# مرات} many {# مرة} other {# مرة}}، وهو أقصى ما يسمح به الفنان. إذا انقطع تنزيل، يمكن لمتصفحك استئنافه.',
  gone: 'أزال الفنان هذا العنصر من الخزنة.',
  back_to_receipt: 'العودة إلى إيصالك',
};

export default messages;
