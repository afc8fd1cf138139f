import type { ShareMessages } from './index.js';

const messages: ShareMessages = {
  heading: 'शेयर करें',
  share: 'शेयर करें',
  share_on: '{network} पर शेयर करें',
  copy_link: 'लिंक कॉपी करें',
  copied: 'लिंक कॉपी हो गया',
  copy_fallback: 'यह लिंक कॉपी करें:',
  text_presave: '{artist} का “{title}” प्री-सेव करें',
  text_listen: '{artist} का “{title}” सुनें',
  card_countries: '{min, plural, one {कम से कम # प्रशंसक वाले देश} other {कम से कम # प्रशंसकों वाले देश}}',
};
export default messages;
