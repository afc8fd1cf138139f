import type { ConsentMessages } from './index.js';

const messages: ConsentMessages = {
  text: 'आगे बढ़कर आप Dropday को अनुमति देते हैं कि वह {artist} का “{title}” {timing, select, local {{date} को आपके स्थानीय समय के अनुसार {midnight, select, yes {आधी रात को} other {{time} पर}}, जब यह आपके यहाँ रिलीज़ हो,} other {{when}}} आपकी {service} लाइब्रेरी में सेव करे{follow, select, yes { और {artist} को फ़ॉलो करे} other {}}। इसके अलावा कुछ नहीं: Dropday कुछ पोस्ट नहीं करता, आपकी सुनने की हिस्ट्री नहीं पढ़ता, आपसे संपर्क नहीं करता, और सेव पूरा होते ही अपनी पहुँच हटा देता है।',
  for_service: '{service}: {text}',
};
export default messages;
