import type { ForeverMessages } from './index.js';

const messages: ForeverMessages = {
  heading: 'Guarda también los próximos lanzamientos',
  consent: 'Guardar también los próximos lanzamientos de {artist} en mi biblioteca de {service}, hasta que lo detenga.',
  explain:
    'Cuando {artist} anuncie un nuevo lanzamiento en este Dropday, se guardará para ti en {service} con este mismo permiso, y te avisaremos si dejaste un correo. Puedes detenerlo cuando quieras.',
  submit: 'Guardar los próximos lanzamientos',
  must_tick: 'Marca «{consent}» para activar el guardado permanente.',
  on: 'El guardado permanente está activo desde el {date}: los próximos lanzamientos de {artist} se guardan en tu biblioteca de {service}.',
  stop: 'Detener el guardado permanente',
  stopped:
    'El guardado permanente está detenido: no se guardará nada más. Los pre-saves ya hechos se mantienen; puedes cancelar cada uno en su página de recibo.',
  page_title: 'Guardado permanente — {artist}',
  erased: 'Este guardado permanente ya no existe.',
};
export default messages;
