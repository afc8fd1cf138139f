import type { CampaignMessages } from './index.js';

const messages: CampaignMessages = {
  out_local: '{date} को {time} पर रिलीज़, आपके स्थानीय समय के अनुसार',
  out_at: 'रिलीज़: {when}',
  partly_out: 'कुछ देशों में रिलीज़ हो चुका है — अभी प्री-सेव करें, आपके यहाँ रिलीज़ होते ही यह सेव हो जाएगा।',
  presave_on: '{service} पर प्री-सेव करें',
  listen_on: '{service} पर सुनें',
  out_now: 'अब उपलब्ध',
  links_preparing: 'रिलीज़ के लिंक तैयार किए जा रहे हैं।',
  already_out_here: 'क्या आपके यहाँ रिलीज़ हो चुका है?',
  release_type: '{type, select, single {सिंगल} ep {EP} album {एल्बम} other {रिलीज़}}',
  description:
    '{artist} का {type, select, single {सिंगल} ep {EP} album {एल्बम} other {रिलीज़}}। {released, select, yes {अब उपलब्ध।} other {अभी प्री-सेव करें।}}',
  demo_badge: 'डेमो',
  demo_note: 'बिल्ट-इन Sandbox सेवा पर एक डेमो कैंपेन।',
  artwork_alt: '{title} का आर्टवर्क',
  countdown_days: '{days, plural, one {# दिन} other {# दिन}}',
  countdown_left: 'रिलीज़ में {time} बाकी',
  countdown_out: 'अब उपलब्ध — हर प्री-सेव करने वाले की लाइब्रेरी में सेव किया जा रहा है',
};
export default messages;
