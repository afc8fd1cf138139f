import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'तिजोरी',
  intro: '{artist} की ओर से बोनस सामग्री। हर डाउनलोड लिंक {minutes} मिनट तक और सिर्फ़ आपके लिए काम करता है: नए लिंक के लिए यह पेज फिर से लोड करें।',
  kind_audio: 'ऑडियो',
  kind_image: 'चित्र',
  kind_video: 'वीडियो',
  kind_document: 'दस्तावेज़',
  kind_archive: 'ZIP संग्रह',
  kind_link: 'लिंक',
  download: 'डाउनलोड करें',
  open_link: 'लिंक खोलें',
  downloads_left: '{left, plural, one {# डाउनलोड बाकी} other {# डाउनलोड बाकी}}',
  locked: 'लॉक है',
  locked_presave: 'उन फ़ैन के लिए खुलता है जिनका प्री-सेव उनकी लाइब्रेरी की ओर जा रहा है।',
  locked_contact: 'इस पेज पर रिमाइंडर के लिए अपना ईमेल पता पक्का करने पर खुलता है।',
  locked_referrals: 'आपके लिंक से {need, plural, one {# दोस्त का प्री-सेव} other {# दोस्तों के प्री-सेव}} सत्यापित होने पर खुलता है — अभी तक {have}।',
  locked_release: 'रिलीज़ पर खुलता है: {when}।',
  link_expired_title: 'इस लिंक की समय-सीमा खत्म हो गई',
  link_expired: 'डाउनलोड लिंक सिर्फ़ कुछ मिनट काम करते हैं। नया लिंक पाने के लिए अपनी रसीद पर वापस जाएँ।',
  link_invalid_title: 'यह लिंक आपका नहीं है',
  link_invalid: 'यह डाउनलोड लिंक किसी दूसरी रसीद का है, या इसे बदला गया है। तिजोरी अपनी रसीद से खोलें।',
  not_qualified_title: 'अभी भी लॉक है',
  not_qualified: 'यह सामग्री अभी आपके लिए नहीं खुली है। आपकी रसीद बताती है कि इसे क्या खोलता है।',
  limit_title: 'डाउनलोड की सीमा पूरी हुई',
  limit_reached:
    'आप इसे {limit, plural, one {# बार} other {# बार}} डाउनलोड कर चुके हैं, जितना कलाकार अनुमति देता है। अगर कोई डाउनलोड बीच में रुका, तो आपका ब्राउज़र उसे फिर से शुरू कर सकता है।',
  gone: 'कलाकार ने यह सामग्री तिजोरी से हटा दी है।',
  back_to_receipt: 'अपनी रसीद पर वापस जाएँ',
};

export default messages;
