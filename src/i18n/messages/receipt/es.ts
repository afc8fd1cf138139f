import type { ReceiptMessages } from './index.js';

const messages: ReceiptMessages = {
  title: 'Hiciste el pre-save de {title}',
  heading: '¡Listo!',
  saved: '✓ Guardado en tu biblioteca de {service}{dated, select, yes { el {date}} other {}}.',
  failed_authorization:
    'Dropday no pudo guardarlo: tu permiso en {service} terminó (desconectaste Dropday allí o {service} lo retiró). Para que se guarde, vuelve a hacer el pre-save desde la página de la campaña.',
  failed_other: 'Dropday no pudo guardar el lanzamiento en tu biblioteca de {service}. El artista puede ver el motivo en su panel.',
  cancelled: 'Este pre-save se canceló.',
  saving_now:
    'El lanzamiento ya salió: Dropday está guardando «{title}» en tu biblioteca de {service}{follow, select, yes { y siguiendo a {artist}} other {}} ahora mismo.',
  scheduled:
    'El {date}, Dropday guardará «{title}» de {artist} en tu biblioteca de {service}{follow, select, yes { y seguirá a {artist}} other {}}. Nada más.',
  action_needed: 'Acción necesaria',
  reauthorize:
    '{service} pone fin a las autorizaciones antes de que salga este lanzamiento, así que esta habrá caducado para entonces. Vuelve a hacer el pre-save a partir del {date} y Dropday podrá guardarlo el día del lanzamiento.',
  keep_address: 'Guarda la dirección de esta página para consultar tu pre-save más adelante.',
  cancel: 'Cancelar este pre-save',
  erase: 'Borrar mis datos',
  erase_note: 'Al borrar se elimina este pre-save y, si nada más la necesita, tu autorización de {service}.',
  erased_title: 'Tus datos se borraron',
  erased_heading: 'Borrado',
  erased_text: 'Tu pre-save y la autorización que usaba se han eliminado. No se guardará nada.',
};
export default messages;
