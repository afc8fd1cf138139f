import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'Traga seus amigos',
  intro: 'Este é o seu link pessoal. Amigos que fizerem o pré-save por ele contam para você.',
  link_label: 'Seu link',
  counts:
    '{counted, plural, one {# indicação contada} many {# de indicações contadas} other {# indicações contadas}}, {pending, plural, one {# aguardando verificação} many {# aguardando verificação} other {# aguardando verificação}}',
  how_counted:
    'Uma indicação conta quando o salvamento do seu amigo é verificado na biblioteca dele no dia do lançamento; até lá fica pendente. Cada amigo conta uma vez só.',
  rank: 'Você está em #{rank} de {total}.',
  name_label: 'Seu nome no ranking público (opcional)',
  name_hint: 'Deixe em branco para não aparecer com nome (aparece “um fã”). No máximo {max} caracteres.',
  name_save: 'Salvar nome',
  name_saved: 'Seu nome no ranking foi salvo.',
  name_too_long: 'O nome para o ranking é longo demais: no máximo {max} caracteres.',
  name_bad_characters: 'O nome para o ranking não pode ter quebras de linha, tabulações ou caracteres invisíveis.',
  leaderboard_link: 'Ver o ranking',
  leaderboard_title: 'Ranking: {title}',
  leaderboard_heading: 'Quem trouxe mais amigos',
  leaderboard_intro: 'Contadas: amigos cujo salvamento foi verificado na biblioteca. Pendentes: aguardando o dia do lançamento.',
  col_rank: 'Posição',
  col_name: 'Fã',
  col_counted: 'Contadas',
  col_pending: 'Pendentes',
  a_fan: 'um fã',
  empty: 'Ninguém trouxe um amigo ainda. Seja o primeiro!',
};

export default messages;
