import type { MusickitMessages } from './index.js';

const messages: MusickitMessages = {
  title: 'Apple Music पर {title} प्री-सेव करें',
  heading: 'Apple Music पर प्री-सेव करें',
  continue: 'Apple Music के साथ आगे बढ़ें',
  loading: 'Apple Music लोड हो रहा है…',
  needs_javascript: 'Apple Music में साइन इन के लिए JavaScript चाहिए। कृपया इसे चालू करें, या किसी दूसरी सेवा पर प्री-सेव करें।',
  apple_asks: 'Apple आपसे “{app}” को आपकी Apple Music लाइब्रेरी तक पहुँच देने के लिए कहेगा। Dropday उसमें सिर्फ़ यह रिलीज़ जोड़ता है।',
  ready: 'Apple Music से साइन इन करने के लिए बटन दबाएँ।',
  start_failed: 'Apple Music शुरू नहीं हो सका। कृपया बाद में फिर कोशिश करें, या किसी दूसरी सेवा पर प्री-सेव करें।',
  load_failed: 'Apple Music लोड नहीं हो सका। अपना कनेक्शन या कंटेंट ब्लॉकर जाँचें, फिर यह पेज दोबारा लोड करें।',
  waiting: 'Apple Music का इंतज़ार है…',
  saving: 'आपका प्री-सेव सेव हो रहा है…',
  record_failed: 'Dropday आपका प्री-सेव दर्ज नहीं कर सका। कृपया फिर से शुरू करें।',
  unreachable: 'Dropday से संपर्क नहीं हो सका। कृपया अपना कनेक्शन जाँचें और फिर से शुरू करें।',
  denied: 'आपने Apple Music में पहुँच की अनुमति नहीं दी, इसलिए कुछ भी सेव नहीं हुआ। आप फिर कोशिश कर सकते हैं, या वापस जा सकते हैं।',
  not_set_up: 'इस Dropday सर्वर पर Apple Music ठीक से सेट अप नहीं है, इसलिए अभी वहाँ प्री-सेव काम नहीं करता। कुछ भी सेव नहीं हुआ।',
  no_authorization: 'Apple Music ने अनुमति नहीं दी, इसलिए कुछ भी सेव नहीं हुआ। कृपया फिर से शुरू करें।',
  token_refused: 'Apple Music ने यह साइन इन स्वीकार नहीं किया (अनुमति वापस ले ली गई या समाप्त हो गई)। कुछ भी सेव नहीं हुआ; कृपया फिर से शुरू करें।',
  credentials_refused:
    'इस Dropday सर्वर पर Apple Music ठीक से सेट अप नहीं है (इसके डेवलपर क्रेडेंशियल अस्वीकार कर दिए गए)। कुछ भी सेव नहीं हुआ; ऑपरेटर को इसे ठीक करना होगा।',
  unexpected: 'Apple Music ने उम्मीद के मुताबिक जवाब नहीं दिया। कुछ भी सेव नहीं हुआ; कृपया थोड़ी देर में फिर कोशिश करें।',
};
export default messages;
