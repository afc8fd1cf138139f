import type { ConsentMessages } from './index.js';

const messages: ConsentMessages = {
  text: 'Ao continuar, você permite que o Dropday salve “{title}”, de {artist}, na sua biblioteca do {service}{follow, select, yes { e siga {artist}} other {}} {timing, select, local {em {date}, {midnight, select, yes {à meia-noite} other {às {time}}} no seu horário local, quando sair onde você está} other {em {when}}}. Nada além disso: o Dropday não publica nada, não lê seu histórico de reprodução nem entra em contato com você, e apaga o próprio acesso assim que o salvamento termina.',
  for_service: '{service}: {text}',
};
export default messages;
