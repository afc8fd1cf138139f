import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'Escucha antes que nadie',
  intro: 'Un adelanto de {title}, para quienes lo guardaron antes del lanzamiento.',
  player_label: 'Adelanto de {title}',
  no_player: 'Tu navegador no puede reproducir este adelanto.',
  keep_private: 'Este adelanto es para ti; por favor, no lo compartas ni lo grabes: todo lo que se reproduce se puede grabar.',
  from: 'Podrás escucharlo a partir del {date}.',
  not_yet: 'Todavía no: este adelanto se podrá escuchar a partir del {date}.',
  expired: 'Este enlace caducó: vuelve a cargar tu recibo para escucharlo de nuevo.',
  only_presavers: 'Solo quienes hicieron el pre-save pueden escuchar este adelanto.',
};

export default messages;
