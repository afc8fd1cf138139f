import type { MusickitMessages } from './index.js';

const messages: MusickitMessages = {
  title: 'Pré-save de {title} no Apple Music',
  heading: 'Pré-save no Apple Music',
  continue: 'Continuar com o Apple Music',
  loading: 'Carregando o Apple Music…',
  needs_javascript: 'Entrar no Apple Music exige JavaScript. Ative-o ou faça o pré-save em outro serviço.',
  apple_asks:
    'A Apple vai pedir que você permita que “{app}” acesse sua biblioteca do Apple Music. O Dropday só adiciona este lançamento a ela.',
  ready: 'Toque no botão para entrar com o Apple Music.',
  start_failed: 'Não foi possível iniciar o Apple Music. Tente de novo mais tarde ou faça o pré-save em outro serviço.',
  load_failed: 'Não foi possível carregar o Apple Music. Verifique sua conexão ou seu bloqueador de conteúdo e recarregue esta página.',
  waiting: 'Aguardando o Apple Music…',
  saving: 'Salvando seu pré-save…',
  record_failed: 'O Dropday não conseguiu registrar seu pré-save. Comece de novo.',
  unreachable: 'Não foi possível falar com o Dropday. Verifique sua conexão e comece de novo.',
  denied: 'Você não permitiu o acesso no Apple Music, então nada foi salvo. Você pode tentar de novo ou voltar.',
  not_set_up:
    'O Apple Music não está configurado corretamente neste servidor do Dropday, então o pré-save lá não funciona agora. Nada foi salvo.',
  no_authorization: 'O Apple Music não deu uma autorização, então nada foi salvo. Comece de novo.',
  token_refused: 'O Apple Music não aceitou este login (a autorização foi revogada ou expirou). Nada foi salvo; comece de novo.',
  credentials_refused:
    'O Apple Music não está configurado corretamente neste servidor do Dropday (as credenciais de desenvolvedor foram recusadas). Nada foi salvo; o operador precisa corrigir isso.',
  unexpected: 'O Apple Music não respondeu como esperado. Nada foi salvo; tente de novo daqui a pouco.',
};
export default messages;
