import type { ReceiptMessages } from './index.js';

const messages: ReceiptMessages = {
  title: 'आपने {title} को प्री-सेव किया',
  heading: 'सब तैयार है',
  saved: '✓ आपकी {service} लाइब्रेरी में सेव हो गया{dated, select, yes { ({date})} other {}}।',
  failed_authorization:
    'Dropday इसे सेव नहीं कर सका: {service} पर आपकी अनुमति समाप्त हो गई (आपने वहाँ Dropday को डिस्कनेक्ट किया, या {service} ने अनुमति वापस ले ली)। इसे सेव करवाने के लिए कैंपेन पेज से फिर से प्री-सेव करें।',
  failed_other: 'Dropday रिलीज़ को आपकी {service} लाइब्रेरी में सेव नहीं कर सका। आर्टिस्ट अपने डैशबोर्ड पर इसका कारण देख सकते हैं।',
  cancelled: 'यह प्री-सेव रद्द कर दिया गया।',
  saving_now:
    'रिलीज़ आ गई है: Dropday अभी “{title}” को आपकी {service} लाइब्रेरी में सेव कर रहा है{follow, select, yes { और {artist} को फ़ॉलो कर रहा है} other {}}।',
  scheduled:
    '{date}, Dropday {artist} का “{title}” आपकी {service} लाइब्रेरी में सेव करेगा{follow, select, yes { और {artist} को फ़ॉलो करेगा} other {}}। इसके अलावा कुछ नहीं।',
  action_needed: 'कार्रवाई ज़रूरी',
  reauthorize:
    '{service} इस रिलीज़ के आने से पहले ही अनुमति समाप्त कर देता है, इसलिए तब तक यह अनुमति समाप्त हो चुकी होगी। कृपया {date} के बाद फिर से प्री-सेव करें, ताकि Dropday रिलीज़ के दिन इसे सेव कर सके।',
  keep_address: 'बाद में अपना प्री-सेव देखने के लिए इस पेज का पता संभाल कर रखें।',
  cancel: 'यह प्री-सेव रद्द करें',
  erase: 'मेरा डेटा मिटाएँ',
  erase_note: 'मिटाने से यह प्री-सेव हट जाता है और, अगर किसी और चीज़ को इसकी ज़रूरत नहीं है, तो आपकी {service} अनुमति भी।',
  erased_title: 'आपका डेटा मिटा दिया गया',
  erased_heading: 'मिटा दिया गया',
  erased_text: 'आपका प्री-सेव और उसकी इस्तेमाल की गई अनुमति हटा दी गई है। कुछ भी सेव नहीं किया जाएगा।',
};
export default messages;
