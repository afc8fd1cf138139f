import type { ConsentMessages } from './index.js';

const messages: ConsentMessages = {
  text: 'Al continuar, permites que Dropday guarde «{title}» de {artist} en tu biblioteca de {service}{follow, select, yes { y siga a {artist}} other {}} {timing, select, local {el {date} {midnight, select, yes {a medianoche} other {a las {time}}} de tu hora local, cuando salga donde estás} other {el {when}}}. Nada más: Dropday no publica nada, no lee tu historial de escucha ni te contacta, y borra su acceso en cuanto termina de guardarlo.',
  for_service: '{service}: {text}',
};
export default messages;
