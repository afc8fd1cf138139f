import type { PushMessages } from './index.js';

const messages: PushMessages = {
  heading: 'O recibe una notificación en este navegador',
  remind: 'Avísame cuando salga «{title}»',
  news: 'Novedades de {artist}: próximos lanzamientos y anuncios',
  button: 'Notificarme en este navegador',
  choose: 'Primero marca de qué quieres que te avisemos.',
  asking: 'Preguntando a tu navegador…',
  done: 'Listo: este navegador recibirá las notificaciones.',
  manage: 'Ver o detener estas notificaciones',
  denied:
    'Las notificaciones de este sitio están bloqueadas en tu navegador. Permítelas en la configuración del sitio y vuelve a intentarlo.',
  failed: 'No ha funcionado. Inténtalo de nuevo.',
  bad_subscription:
    'Tu navegador entregó una suscripción de notificaciones que Dropday no puede usar. Inténtalo de nuevo o deja tu correo electrónico.',
  bad_purpose: 'Marca al menos una opción para recibir avisos.',
  rate: 'Llegaron muchas suscripciones a notificaciones desde tu red. Espera {minutes, plural, =1 {un minuto} one {# minuto} many {# minutos} other {# minutos}} y vuelve a intentarlo.',
  page_title: 'Notificaciones en este navegador',
  page_intro: 'Desde el {date}, Dropday avisa a este navegador de:',
  page_remind: 'el lanzamiento de «{title}» de {artist}',
  page_news: 'las novedades de {artist}',
  page_nothing: 'Ya de nada.',
  stop: 'Detener las notificaciones en este navegador',
  stop_note: 'Al detenerlas se borra la suscripción de este navegador y toda notificación programada para él.',
  not_found: 'Estas notificaciones ya se detuvieron, o el enlace está incompleto.',
  stopped_title: 'Notificaciones detenidas',
  stopped_text: 'Este navegador no recibirá más notificaciones de Dropday. Su suscripción y todo lo programado para él se han borrado.',
};
export default messages;
