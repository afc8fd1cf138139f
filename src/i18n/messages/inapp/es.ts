import type { InAppMessages } from './index.js';

const messages: InAppMessages = {
  notice:
    'El navegador integrado de {app} suele bloquear el inicio de sesión de los servicios de streaming. Si te pasa, te ayudamos a abrir esta página en tu propio navegador.',
  title: 'Ábrelo en tu navegador',
  why: 'El navegador integrado de {app} suele cortar a medias el inicio de sesión de {service}. Abre esta página en tu propio navegador para hacer el pre-save allí: {service} ya estará elegido.',
  open_browser: 'Abrir en mi navegador',
  ios_dots_external: 'Toca ··· arriba a la derecha y luego «Abrir en navegador externo».',
  ios_dots_browser: 'Toca ··· arriba a la derecha y luego «Abrir en el navegador».',
  ios_share_safari: 'Toca el botón de compartir y luego «Abrir en Safari».',
  ios_generic: 'Abre el menú de la app (suele ser ··· o el botón de compartir) y elige abrir la página en tu navegador.',
  copy_intro: 'O copia el enlace y pégalo en la barra de direcciones de tu navegador:',
  link_label: 'Enlace a esta página',
  copy: 'Copiar enlace',
  copied: 'Enlace copiado. Abre tu navegador y pégalo en la barra de direcciones.',
  copy_failed: 'Aquí no se pudo copiar. Mantén pulsado el enlace de arriba y elige Copiar.',
  continue_here: 'Seguir aquí de todos modos',
  continue_note: 'Si el inicio de sesión se queda atascado, vuelve a esta página y ábrela en tu navegador.',
  chosen: 'Elegiste {service}. Toca su botón para continuar con tu pre-save.',
  musickit_stuck:
    'Apple Music todavía no responde. Su inicio de sesión suele atascarse en los navegadores integrados de las apps: abre esta página en tu navegador y vuelve a intentarlo allí. Si Apple Music responde mientras tanto, tu pre-save seguirá por sí solo.',
};
export default messages;
