import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'Trae a tus amigos',
  intro: 'Este es tu enlace personal. Los amigos que hagan el pre-save con él cuentan para ti.',
  link_label: 'Tu enlace',
  counts:
    '{counted, plural, one {# referido contado} many {# de referidos contados} other {# referidos contados}}, {pending, plural, one {# pendiente de verificación} many {# de pendientes de verificación} other {# pendientes de verificación}}',
  how_counted:
    'Un referido cuenta cuando el guardado de tu amigo se verifica en su biblioteca el día del lanzamiento; hasta entonces está pendiente. Cada amigo cuenta una sola vez.',
  rank: 'Estás en el puesto #{rank} de {total}.',
  name_label: 'Tu nombre en la clasificación pública (opcional)',
  name_hint: 'Déjalo en blanco para no aparecer con nombre (se muestra «un fan»). Como máximo {max} caracteres.',
  name_save: 'Guardar nombre',
  name_saved: 'Tu nombre para la clasificación se guardó.',
  name_too_long: 'El nombre para la clasificación es demasiado largo: como máximo {max} caracteres.',
  name_bad_characters: 'El nombre para la clasificación no puede contener saltos de línea, tabulaciones ni caracteres invisibles.',
  leaderboard_link: 'Ver la clasificación',
  leaderboard_title: 'Clasificación: {title}',
  leaderboard_heading: 'Quién trajo a más amigos',
  leaderboard_intro: 'Contados: amigos cuyo guardado se verificó en su biblioteca. Pendientes: a la espera del día del lanzamiento.',
  col_rank: 'Puesto',
  col_name: 'Fan',
  col_counted: 'Contados',
  col_pending: 'Pendientes',
  a_fan: 'un fan',
  empty: 'Nadie ha traído a un amigo todavía. ¡Sé el primero!',
};

export default messages;
