import type { CampaignMessages } from './index.js';

const messages: CampaignMessages = {
  out_local: 'يصدر في {date} الساعة {time} بتوقيتك المحلي',
  out_at: 'يصدر في {when}',
  partly_out: 'صدر بالفعل في بعض البلدان — احفظه مسبقًا الآن وسيُحفظ فور صدوره في منطقتك.',
  presave_on: 'احفظه مسبقًا على {service}',
  listen_on: 'استمع على {service}',
  out_now: 'متاح الآن',
  links_preparing: 'يجري تجهيز روابط الإصدار.',
  already_out_here: 'هل صدر بالفعل في منطقتك؟',
  release_type: '{type, select, single {أغنية منفردة} ep {EP} album {ألبوم} other {إصدار}}',
  description:
    '{type, select, single {أغنية منفردة} ep {EP} album {ألبوم} other {إصدار}} من {artist}. {released, select, yes {متاح الآن.} other {احفظه مسبقًا الآن.}}',
  demo_badge: 'تجريبي',
  demo_note: 'حملة تجريبية على خدمة Sandbox المدمجة.',
  artwork_alt: 'غلاف {title}',
  countdown_days: '{days, plural, zero {# يوم} one {يوم واحد} two {يومان} few {# أيام} many {# يومًا} other {# يوم}}',
  countdown_left: 'متبقٍ على الإصدار: {time}',
  countdown_out: 'متاح الآن — يجري حفظه في مكتبة كل من حفظه مسبقًا',
};
export default messages;
