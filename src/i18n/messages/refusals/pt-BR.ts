import type { RefusalsMessages } from './index.js';

const messages: RefusalsMessages = {
  invalid_scope:
    'O serviço de streaming recusou as permissões que este pré-save pede, então nada foi salvo. O servidor Dropday do artista precisa de um ajuste; tente de novo mais tarde.',
  client_refused:
    'O serviço de streaming não deixa este servidor Dropday fazer o login dos fãs (ele não está configurado corretamente lá), então nada foi salvo. Tente de novo mais tarde.',
  bad_request: 'O serviço de streaming não entendeu este pedido de login, então nada foi salvo. Comece de novo pela página da campanha.',
  server_error: 'O serviço de streaming teve um problema ao fazer seu login, então nada foi salvo. Tente de novo em alguns minutos.',
  temporarily_unavailable:
    'O serviço de streaming está ocupado e não conseguiu fazer seu login agora, então nada foi salvo. Tente de novo em alguns minutos.',
  sign_in_first: 'O serviço de streaming precisa que você entre nele primeiro. Nada foi salvo; comece de novo.',
  consent_required: 'O serviço de streaming precisa que você permita o acesso. Nada foi salvo; comece de novo.',
  unknown: 'O serviço de streaming recusou este login sem dizer por quê, então nada foi salvo. Tente de novo.',
  not_allow_listed_title: 'Este pré-save não pode usar sua conta do {service}',
  not_allow_listed:
    'O {service} só deixa o app deste artista salvar para poucos ouvintes durante o período de testes, e a sua conta não está entre eles. Nada foi salvo, e você não precisa fazer nada no {service}.',
  offer_reminder: 'Você ainda pode ouvir no dia do lançamento: receba um lembrete ou coloque o lançamento na sua agenda.',
  remind_button: 'Quero um lembrete',
};
export default messages;
