import type { ContestMessages } from './index.js';

const messages: ContestMessages = {
  heading: 'Concurso',
  prize: 'Premio: {prize}',
  starts_on: 'Empieza el {when}',
  ends_on: 'Termina el {when}',
  ended_on: 'Terminó el {when}',
  your_points: 'Tus puntos: {points}',
  pending_points: 'Pendientes hasta el día del lanzamiento: {points} más, cuando se verifiquen los guardados en las bibliotecas',
  no_purchase: 'No es necesario comprar ni pagar nada para participar o ganar.',
  contact_winners:
    'Solo se avisa a los ganadores por correo si dejaron una dirección en su página de recibo y la confirmaron; sin ella, el artista no puede contactarlos.',
  rules_link: 'Bases oficiales',
  page_title: 'Concurso: bases oficiales',
  period: 'Del {start} al {end}',
  how_to_enter:
    'Para participar, haz el pre-save de este lanzamiento. Después, tu página de recibo te da un enlace personal para compartir.',
  how_points: 'Cómo ganar puntos',
  action: 'Lo que haces',
  points: 'Puntos',
  points_presave: 'Hacer tú mismo el pre-save del lanzamiento (cuenta cuando se verifica el guardado en tu biblioteca)',
  points_referral: 'Cada amigo que hace el pre-save con tu enlace personal (cuenta cuando se verifica su guardado)',
  points_contact: 'Dejar tu correo electrónico y confirmarlo',
  window_note: 'Solo cuenta lo que ocurre entre el inicio y el final.',
  how_chosen: 'Cómo se eligen los ganadores',
  method_top: 'Número de ganadores: {n}. Ganan los participantes con más puntos; los empates se ordenan con la semilla de abajo.',
  method_draw:
    'Número de ganadores: {n}. Los ganadores se sortean al azar y cada punto cuenta como una oportunidad; el sorteo usa la semilla de abajo, así que cualquiera puede repetirlo.',
  official_rules: 'Bases oficiales',
  seed_heading: 'Semilla del sorteo',
  seed_note:
    'Publicada antes del sorteo. Con esta semilla y la lista de participaciones, cualquiera puede repetir el sorteo y comprobar los ganadores.',
  winners_heading: 'Ganadores',
  drawn_on: 'Sorteado el {when}.',
  not_drawn: 'Los ganadores todavía no se han sorteado.',
  a_fan: 'Un fan',
  place: 'Puesto',
  name: 'Nombre',
  entry: 'Participación',
  entries_heading: 'Participaciones del sorteo',
  campaign_line: 'Concurso: {prize}',
};

export default messages;
