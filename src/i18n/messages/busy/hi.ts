import type { BusyMessages } from './index.js';

const messages: BusyMessages = {
  title: 'व्यस्त — थोड़ी देर में फिर कोशिश करें',
  heading: 'अभी व्यस्त है',
  text: 'यह सर्वर अभी व्यस्त है। कृपया कुछ सेकंड में फिर कोशिश करें। यह पेज {seconds, plural, one {# सेकंड} other {# सेकंड}} में अपने-आप फिर कोशिश करेगा।',
};
export default messages;
