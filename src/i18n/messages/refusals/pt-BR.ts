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
};
export default messages;
