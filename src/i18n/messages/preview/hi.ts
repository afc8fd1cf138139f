import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'पहले सुनें',
  intro: '{title} की एक झलक, उन प्रशंसकों के लिए जिन्होंने इसे प्री-सेव किया।',
  player_label: '{title} की झलक',
  no_player: 'आपका ब्राउज़र यह झलक नहीं चला सकता।',
  keep_private: 'यह झलक आपके लिए है; कृपया इसे साझा या रिकॉर्ड न करें — जो कुछ भी चलता है, उसे रिकॉर्ड किया जा सकता है।',
  from: 'आप इसे {date} से सुन सकते हैं।',
  not_yet: 'अभी नहीं — यह झलक {date} से सुनी जा सकेगी।',
  expired: 'इस लिंक की अवधि समाप्त हो गई: फिर से सुनने के लिए अपनी रसीद दोबारा लोड करें।',
  only_presavers: 'यह झलक केवल प्री-सेव करने वाले ही सुन सकते हैं।',
};

export default messages;
