import type { CommonMessages } from './index.js';

const messages: CommonMessages = {
  back_to_campaign: 'Retour à la campagne',
  fans_presaved:
    '{count, plural, one {# fan a fait le pré-save} many {# de fans ont fait le pré-save} other {# fans ont fait le pré-save}}',
};
export default messages;
