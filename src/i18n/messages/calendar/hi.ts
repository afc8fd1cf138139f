import type { CalendarMessages } from './index.js';

const messages: CalendarMessages = {
  summary: '{title} — {artist}: अब उपलब्ध',
  description: '{artist} का “{title}” आ गया है। अपनी सेवा पर सुनें: {link}',
  alarm: '{artist} का “{title}” अब उपलब्ध है',
  heading: 'इसे अपने कैलेंडर में जोड़ें',
  note: 'किसी खाते की ज़रूरत नहीं: रिलीज़ होते ही आपका कैलेंडर आपको याद दिलाएगा।',
  add_ics: 'कैलेंडर में जोड़ें (.ics)',
  add_google: 'Google Calendar में जोड़ें',
};
export default messages;
