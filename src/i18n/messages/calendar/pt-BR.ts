import type { CalendarMessages } from './index.js';

const messages: CalendarMessages = {
  summary: '{title} — {artist}: já disponível',
  description: '“{title}”, de {artist}, já saiu. Ouça no seu serviço: {link}',
  alarm: '“{title}”, de {artist}, já está disponível',
  heading: 'Coloque na sua agenda',
  note: 'Sem conta: sua agenda avisa você assim que sair.',
  add_ics: 'Adicionar à agenda (.ics)',
  add_google: 'Adicionar ao Google Agenda',
};
export default messages;
