import type { MusickitMessages } from './index.js';

const messages: MusickitMessages = {
  title: 'Pre-save de {title} en Apple Music',
  heading: 'Pre-save en Apple Music',
  continue: 'Continuar con Apple Music',
  loading: 'Cargando Apple Music…',
  needs_javascript: 'Para iniciar sesión en Apple Music se necesita JavaScript. Actívalo o haz el pre-save en otro servicio.',
  apple_asks: 'Apple te pedirá que permitas a «{app}» acceder a tu biblioteca de Apple Music. Dropday solo añade este lanzamiento.',
  ready: 'Pulsa el botón para iniciar sesión con Apple Music.',
  start_failed: 'No se pudo iniciar Apple Music. Inténtalo más tarde o haz el pre-save en otro servicio.',
  load_failed: 'No se pudo cargar Apple Music. Revisa tu conexión o tu bloqueador de contenido y vuelve a cargar esta página.',
  waiting: 'Esperando a Apple Music…',
  saving: 'Guardando tu pre-save…',
  record_failed: 'Dropday no pudo registrar tu pre-save. Vuelve a empezar.',
  unreachable: 'No se pudo conectar con Dropday. Revisa tu conexión y vuelve a empezar.',
  denied: 'No permitiste el acceso en Apple Music, así que no se guardó nada. Puedes volver a intentarlo o regresar.',
  not_set_up:
    'Apple Music no está bien configurado en este servidor de Dropday, así que ahora mismo no se puede hacer el pre-save allí. No se guardó nada.',
  no_authorization: 'Apple Music no dio ninguna autorización, así que no se guardó nada. Vuelve a empezar.',
  token_refused: 'Apple Music no aceptó este inicio de sesión (la autorización se revocó o caducó). No se guardó nada; vuelve a empezar.',
  credentials_refused:
    'Apple Music no está bien configurado en este servidor de Dropday (se rechazaron sus credenciales de desarrollador). No se guardó nada; el operador tiene que solucionarlo.',
  unexpected: 'Apple Music no respondió como se esperaba. No se guardó nada; inténtalo de nuevo en un momento.',
};
export default messages;
