import type { CampaignMessages } from './index.js';

const messages: CampaignMessages = {
  out_local: 'Sale el {date} a las {time}, tu hora local',
  out_at: 'Sale el {when}',
  partly_out: 'Ya salió en algunos países: haz el pre-save ahora y se guardará en cuanto salga donde estás.',
  presave_on: 'Pre-save en {service}',
  listen_on: 'Escuchar en {service}',
  out_now: 'Ya disponible',
  links_preparing: 'Estamos preparando los enlaces al lanzamiento.',
  already_out_here: '¿Ya salió donde estás?',
  release_type: '{type, select, single {Sencillo} ep {EP} album {Álbum} other {Lanzamiento}}',
  description:
    '{type, select, single {Sencillo} ep {EP} album {Álbum} other {Lanzamiento}} de {artist}. {released, select, yes {Ya disponible.} other {Haz el pre-save ahora.}}',
  demo_badge: 'DEMO',
  demo_note: 'Una campaña de demostración en el servicio Sandbox integrado.',
  artwork_alt: 'Portada de {title}',
  countdown_days: '{days, plural, one {# día} many {# días} other {# días}}',
  countdown_left: 'Faltan {time} para el lanzamiento',
  countdown_out: 'Ya disponible: guardándolo en la biblioteca de todos los que hicieron pre-save',
};
export default messages;
