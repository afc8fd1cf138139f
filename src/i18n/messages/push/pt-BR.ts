import type { PushMessages } from './index.js';

const messages: PushMessages = {
  heading: 'Ou receba uma notificação neste navegador',
  remind: 'Me avise quando “{title}” sair',
  news: 'Novidades de {artist}: próximos lançamentos e anúncios',
  button: 'Notificar neste navegador',
  choose: 'Primeiro marque sobre o que você quer ser avisado.',
  asking: 'Perguntando ao seu navegador…',
  done: 'Pronto: este navegador vai receber as notificações.',
  manage: 'Ver ou parar estas notificações',
  denied: 'As notificações deste site estão bloqueadas no seu navegador. Permita nas configurações do site e tente de novo.',
  failed: 'Não deu certo. Tente de novo.',
  bad_subscription:
    'Seu navegador entregou uma inscrição de notificações que o Dropday não consegue usar. Tente de novo ou deixe seu e-mail.',
  bad_purpose: 'Marque pelo menos uma opção para ser avisado.',
  rate: 'Chegaram muitas inscrições em notificações da sua rede. Aguarde {minutes, plural, =1 {um minuto} one {# minuto} many {# minutos} other {# minutos}} e tente de novo.',
  page_title: 'Notificações neste navegador',
  page_intro: 'Desde {date}, o Dropday avisa este navegador sobre:',
  page_remind: 'o lançamento de “{title}” de {artist}',
  page_news: 'novidades de {artist}',
  page_nothing: 'Nada mais.',
  stop: 'Parar as notificações neste navegador',
  stop_note: 'Parar apaga a inscrição deste navegador e toda notificação agendada para ele.',
  not_found: 'Estas notificações já foram paradas, ou o link está incompleto.',
  stopped_title: 'Notificações paradas',
  stopped_text:
    'Este navegador não vai receber mais notificações do Dropday. A inscrição e tudo o que estava agendado para ele foram apagados.',
};
export default messages;
