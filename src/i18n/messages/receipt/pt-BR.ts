import type { ReceiptMessages } from './index.js';

const messages: ReceiptMessages = {
  title: 'Você fez o pré-save de {title}',
  heading: 'Tudo certo!',
  saved: '✓ Salvo na sua biblioteca do {service}{dated, select, yes { em {date}} other {}}.',
  failed_authorization:
    'O Dropday não conseguiu salvar: sua permissão no {service} terminou (você desconectou o Dropday lá ou o {service} a retirou). Para que seja salvo, faça o pré-save de novo pela página da campanha.',
  failed_other: 'O Dropday não conseguiu salvar o lançamento na sua biblioteca do {service}. O artista pode ver o motivo no painel dele.',
  cancelled: 'Este pré-save foi cancelado.',
  saving_now:
    'O lançamento já saiu: o Dropday está salvando “{title}” na sua biblioteca do {service}{follow, select, yes { e seguindo {artist}} other {}} agora.',
  scheduled:
    'Em {date}, o Dropday vai salvar “{title}”, de {artist}, na sua biblioteca do {service}{follow, select, yes { e seguir {artist}} other {}}. Nada além disso.',
  action_needed: 'Ação necessária',
  reauthorize:
    'O {service} encerra as autorizações antes de este lançamento sair, então esta já terá expirado até lá. Faça o pré-save de novo depois de {date}, e o Dropday poderá salvá-lo no dia do lançamento.',
  keep_address: 'Guarde o endereço desta página para acompanhar seu pré-save depois.',
  cancel: 'Cancelar este pré-save',
  erase: 'Apagar meus dados',
  erase_note: 'Apagar exclui este pré-save e, se nada mais precisar dela, sua autorização do {service}.',
  erased_title: 'Seus dados foram apagados',
  erased_heading: 'Apagado',
  erased_text: 'Seu pré-save e a autorização que ele usava foram excluídos. Nada será salvo.',
};
export default messages;
