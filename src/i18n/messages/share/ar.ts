import type { ShareMessages } from './index.js';

const messages: ShareMessages = {
  heading: 'مشاركة',
  share: 'مشاركة',
  share_on: 'شارِك على {network}',
  copy_link: 'نسخ الرابط',
  copied: 'تم نسخ الرابط',
  copy_fallback: 'انسخ هذا الرابط:',
  text_presave: 'احفظ «{title}» لـ{artist} مسبقًا',
  text_listen: 'استمع إلى «{title}» لـ{artist}',
  card_countries:
    '{min, plural, zero {الدول التي فيها # معجب على الأقل} one {الدول التي فيها معجب واحد على الأقل} two {الدول التي فيها معجبان على الأقل} few {الدول التي فيها # معجبين على الأقل} many {الدول التي فيها # معجبًا على الأقل} other {الدول التي فيها # معجب على الأقل}}',
};
export default messages;
