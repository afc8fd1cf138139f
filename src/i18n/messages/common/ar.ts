import type { CommonMessages } from './index.js';

const messages: CommonMessages = {
  back_to_campaign: 'العودة إلى الحملة',
  fans_presaved:
    '{count, plural, zero {لم يحفظ أي معجب مسبقًا} one {معجب واحد حفظ مسبقًا} two {معجبان حفظا مسبقًا} few {# معجبين حفظوا مسبقًا} many {# معجبًا حفظوا مسبقًا} other {# معجب حفظوا مسبقًا}}',
};
export default messages;
