import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'पहले सुनें',
};

export default messages;
