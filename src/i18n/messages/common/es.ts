import type { CommonMessages } from './index.js';

const messages: CommonMessages = {
  back_to_campaign: 'Volver a la campaña',
  fans_presaved: '{count, plural, one {# fan hizo el pre-save} many {# fans hicieron el pre-save} other {# fans hicieron el pre-save}}',
};
export default messages;
