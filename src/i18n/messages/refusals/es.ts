import type { RefusalsMessages } from './index.js';

const messages: RefusalsMessages = {
  invalid_scope:
    'El servicio de streaming rechazó los permisos que pide este pre-save, así que no se guardó nada. Hay que cambiar un ajuste en el servidor de Dropday del artista; inténtalo más tarde.',
  client_refused:
    'El servicio de streaming no permite que este servidor de Dropday inicie sesión por los fans (no está bien configurado allí), así que no se guardó nada. Inténtalo más tarde.',
  bad_request:
    'El servicio de streaming no entendió esta solicitud de inicio de sesión, así que no se guardó nada. Vuelve a empezar desde la página de la campaña.',
  server_error:
    'El servicio de streaming tuvo un problema al iniciar tu sesión, así que no se guardó nada. Inténtalo de nuevo en unos minutos.',
  temporarily_unavailable:
    'El servicio de streaming está ocupado y no pudo iniciar tu sesión ahora, así que no se guardó nada. Inténtalo de nuevo en unos minutos.',
  sign_in_first: 'El servicio de streaming necesita que primero inicies sesión en él. No se guardó nada; vuelve a empezar.',
  consent_required: 'El servicio de streaming necesita que permitas el acceso. No se guardó nada; vuelve a empezar.',
  unknown: 'El servicio de streaming rechazó este inicio de sesión sin decir por qué, así que no se guardó nada. Inténtalo de nuevo.',
  not_allow_listed_title: 'Este pre-save no puede usar tu cuenta de {service}',
  not_allow_listed:
    '{service} solo deja que la app de este artista guarde para unos pocos oyentes durante su período de prueba, y tu cuenta no es una de ellas. No se guardó nada y no tienes que hacer nada en {service}.',
  offer_reminder: 'Aun así puedes escucharlo el día que salga: recibe un recordatorio o añade el lanzamiento a tu calendario.',
  remind_button: 'Recuérdamelo',
};
export default messages;
