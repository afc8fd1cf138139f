import type { MessagesMessages } from './index.js';

const messages: MessagesMessages = {
  confirm_subject: 'Confirme seu endereço para {artist}',
  confirm_heading: 'Confirme seu endereço',
  confirm_body: 'Você pediu para receber notícias de {artist} sobre “{title}” neste endereço. Confirme-o para que as mensagens comecem:',
  confirm_button: 'Confirmar meu endereço',
  confirm_expires: 'Este link funciona até {date}.',
  confirm_ignore: 'Não foi você? Ignore esta mensagem: nada mais será enviado para este endereço sem confirmação.',
  out_now_subject: '{title} de {artist} já saiu',
  out_now_body: '“{title}” de {artist} já saiu.',
  listen_on: 'Ouvir no {service}',
  listen: 'Ouvir agora',
  verified_subject: '{title} está na sua biblioteca do {service}',
  verified_body:
    'Está na sua biblioteca do {service} — verificado. O Dropday salvou “{title}” de {artist} no dia do lançamento e conferiu que está lá.',
  failed_body: 'O Dropday não conseguiu salvar “{title}” de {artist} na sua biblioteca do {service}: {why}',
  failed_listen: 'Ouvir mesmo assim',
  why_authorization: 'sua permissão no {service} terminou antes do dia do lançamento.',
  why_not_found: 'o {service} não tinha o lançamento quando o Dropday procurou.',
  why_other: 'o {service} recusou o salvamento.',
  reauth_subject: 'Faça o pré-save de {title} de novo: sua permissão no {service} termina antes do lançamento',
  reauth_body:
    'O {service} encerra a permissão do Dropday para salvar na sua biblioteca em {date}, antes de “{title}” de {artist} sair. Faça o pré-save de novo para que seja salvo no dia do lançamento:',
  reauth_button: 'Fazer o pré-save de novo',
  forever_subject: 'Vamos salvar {title} em {date}',
  forever_body:
    'Você pediu ao Dropday para salvar os novos lançamentos de {artist}. “{title}” será salvo na sua biblioteca do {service} em {date}.',
  forever_cancel: 'Não quer mais? Pare o salvamento contínuo aqui',
  artwork_alt: 'Capa de {title}',
  footer_why: 'Você recebe isto porque pediu na página de {artist} no Dropday.',
  footer_preferences: 'Suas escolhas: cancelar a inscrição ou apagar seus dados',
  footer_unsubscribe: 'Cancelar inscrição',
  footer_sender: 'Enviado por {sender}',
  push_out_now_title: '{title} já saiu',
  push_out_now_body: 'De {artist}. Toque para ouvir.',
  push_verified_body: 'Está na sua biblioteca do {service} — verificado.',
  push_failed_body: 'O Dropday não conseguiu salvar na sua biblioteca do {service}. Toque para ouvir mesmo assim.',
};
export default messages;
