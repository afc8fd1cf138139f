import type { CommonMessages } from './index.js';

const messages: CommonMessages = {
  back_to_campaign: 'Voltar para a campanha',
  fans_presaved: '{count, plural, one {# fã fez o pré-save} many {# fãs fizeram o pré-save} other {# fãs fizeram o pré-save}}',
};
export default messages;
