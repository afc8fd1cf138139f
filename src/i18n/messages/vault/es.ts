import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'La bóveda',
  intro:
    'Contenido extra de {artist}. Cada enlace de descarga funciona durante {minutes} minutos y solo para ti: recarga esta página para obtener enlaces nuevos.',
  kind_audio: 'Audio',
  kind_image: 'Imagen',
  kind_video: 'Vídeo',
  kind_document: 'Documento',
  kind_archive: 'Archivo ZIP',
  kind_link: 'Enlace',
  download: 'Descargar',
  open_link: 'Abrir enlace',
  downloads_left: '{left, plural, one {Te queda # descarga} many {Te quedan # descargas} other {Te quedan # descargas}}',
  locked: 'Bloqueado',
  locked_presave: 'Se desbloquea para los fans cuyo pre-save va camino de su biblioteca.',
  locked_contact: 'Se desbloquea cuando confirmes tu correo electrónico para un recordatorio en esta página.',
  locked_referrals:
    'Se desbloquea cuando se {need, plural, one {verifique el pre-save de # amigo} many {verifiquen los pre-saves de # amigos} other {verifiquen los pre-saves de # amigos}} a través de tu enlace; llevas {have}.',
  locked_release: 'Se desbloquea con el lanzamiento: {when}.',
  link_expired_title: 'Este enlace ha caducado',
  link_expired: 'Los enlaces de descarga solo funcionan unos minutos. Vuelve a tu comprobante para obtener uno nuevo.',
  link_invalid_title: 'Este enlace no es tuyo',
  link_invalid: 'Este enlace de descarga pertenece a otro comprobante o ha sido modificado. Abre la bóveda desde tu propio comprobante.',
  not_qualified_title: 'Todavía bloqueado',
  not_qualified: 'Este contenido aún no está desbloqueado para ti. Tu comprobante indica qué lo desbloquea.',
  limit_title: 'Límite de descargas alcanzado',
  limit_reached:
    'Ya lo has descargado {limit, plural, one {# vez} many {# veces} other {# veces}}, el máximo que permite el artista. Si una descarga se interrumpió, tu navegador puede reanudarla.',
  gone: 'El artista ha retirado este contenido de la bóveda.',
  back_to_receipt: 'Volver a tu comprobante',
};

export default messages;
