import type { MessagesMessages } from './index.js';

const messages: MessagesMessages = {
  confirm_subject: 'Confirma tu dirección para {artist}',
  confirm_heading: 'Confirma tu dirección',
  confirm_body: 'Pediste recibir noticias de {artist} sobre «{title}» en esta dirección. Confírmala y los mensajes podrán empezar:',
  confirm_button: 'Confirmar mi dirección',
  confirm_expires: 'Este enlace funciona hasta el {date}.',
  confirm_ignore: '¿No fuiste tú? Ignora este mensaje: no se enviará nada más a esta dirección si no se confirma.',
  out_now_subject: '{title} de {artist} ya está disponible',
  out_now_body: '«{title}» de {artist} ya está disponible.',
  listen_on: 'Escuchar en {service}',
  listen: 'Escuchar ahora',
  verified_subject: '{title} está en tu biblioteca de {service}',
  verified_body:
    'Está en tu biblioteca de {service}: verificado. Dropday guardó «{title}» de {artist} el día del lanzamiento y comprobó que está ahí.',
  failed_body: 'Dropday no pudo guardar «{title}» de {artist} en tu biblioteca de {service}: {why}',
  failed_listen: 'Escuchar de todos modos',
  why_authorization: 'tu permiso en {service} terminó antes del día del lanzamiento.',
  why_not_found: '{service} no tenía el lanzamiento cuando Dropday lo buscó.',
  why_other: '{service} rechazó el guardado.',
  reauth_subject: 'Vuelve a hacer el pre-save de {title}: tu permiso en {service} termina antes del lanzamiento',
  reauth_body:
    '{service} retira el permiso de Dropday para guardar en tu biblioteca el {date}, antes de que salga «{title}» de {artist}. Vuelve a hacer el pre-save y se podrá guardar el día del lanzamiento:',
  reauth_button: 'Hacer el pre-save de nuevo',
  forever_subject: 'Guardaremos {title} el {date}',
  forever_body:
    'Pediste a Dropday que guarde los nuevos lanzamientos de {artist}. «{title}» se guardará en tu biblioteca de {service} el {date}.',
  forever_cancel: '¿Ya no lo quieres? Detén el guardado permanente aquí',
  artwork_alt: 'Portada de {title}',
  footer_why: 'Recibes esto porque lo pediste en la página de {artist} en Dropday.',
  footer_preferences: 'Tus opciones: darte de baja o borrar tus datos',
  footer_unsubscribe: 'Darse de baja',
  footer_sender: 'Enviado por {sender}',
  push_out_now_title: '{title} ya está disponible',
  push_out_now_body: 'De {artist}. Toca para escuchar.',
  push_verified_body: 'Está en tu biblioteca de {service}: verificado.',
  push_failed_body: 'Dropday no pudo guardarlo en tu biblioteca de {service}. Toca para escucharlo de todos modos.',
};
export default messages;
