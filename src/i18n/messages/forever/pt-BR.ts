import type { ForeverMessages } from './index.js';

const messages: ForeverMessages = {
  heading: 'Salve também os próximos lançamentos',
  consent: 'Salvar também os próximos lançamentos de {artist} na minha biblioteca do {service}, até eu interromper.',
  explain:
    'Quando {artist} anunciar um novo lançamento neste Dropday, ele será pré-salvo para você no {service} com esta mesma permissão, e você será avisado se deixou um e-mail. Você pode interromper quando quiser.',
  submit: 'Salvar os próximos lançamentos',
  must_tick: 'Marque “{consent}” para ativar o salvamento permanente.',
  on: 'O salvamento permanente está ativo desde {date}: os próximos lançamentos de {artist} são pré-salvos na sua biblioteca do {service}.',
  stop: 'Interromper o salvamento permanente',
  stopped:
    'O salvamento permanente foi interrompido: nada mais será salvo. Os pré-saves já feitos continuam; você pode cancelar cada um na página do recibo.',
  page_title: 'Salvamento permanente — {artist}',
  erased: 'Este salvamento permanente não existe mais.',
};
export default messages;
