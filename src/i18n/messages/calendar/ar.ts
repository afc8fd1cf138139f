import type { CalendarMessages } from './index.js';

const messages: CalendarMessages = {
  summary: '{title} — {artist}: متاح الآن',
  description: 'صدر «{title}» لـ {artist}. استمع إليه على خدمتك: {link}',
  alarm: '«{title}» لـ {artist} متاح الآن',
  heading: 'أضِفه إلى تقويمك',
  note: 'دون حساب: يذكّرك تقويمك لحظة صدوره.',
  add_ics: 'أضِف إلى التقويم (.ics)',
  add_google: 'أضِف إلى تقويم Google',
};
export default messages;
