import type { ReferralMessages } from './index.js';

const messages: ReferralMessages = {
  heading: 'Bring deine Freunde mit',
  intro: 'Das ist dein persönlicher Link. Freunde, die darüber pre-saven, zählen für dich.',
  link_label: 'Dein Link',
  counts:
    '{counted, plural, one {# Empfehlung gezählt} other {# Empfehlungen gezählt}}, {pending, plural, one {# wartet auf Bestätigung} other {# warten auf Bestätigung}}',
  how_counted:
    'Eine Empfehlung zählt, sobald das Speichern deines Freundes am Veröffentlichungstag in seiner Bibliothek bestätigt ist; bis dahin wartet sie. Jeder Freund zählt nur einmal.',
  rank: 'Du bist auf Platz {rank} von {total}.',
  name_label: 'Dein Name in der öffentlichen Rangliste (freiwillig)',
  name_hint: 'Leer lassen, um ohne Namen zu erscheinen (angezeigt wird „ein Fan“). Höchstens {max} Zeichen.',
  name_save: 'Name speichern',
  name_saved: 'Dein Name für die Rangliste wurde gespeichert.',
  name_too_long: 'Der Name für die Rangliste ist zu lang: höchstens {max} Zeichen.',
  name_bad_characters: 'Der Name für die Rangliste darf keine Zeilenumbrüche, Tabulatoren oder unsichtbaren Zeichen enthalten.',
  leaderboard_link: 'Zur Rangliste',
  leaderboard_title: 'Rangliste: {title}',
  leaderboard_heading: 'Wer die meisten Freunde mitgebracht hat',
  leaderboard_intro: 'Gezählt: Freunde, deren Speichern in ihrer Bibliothek bestätigt wurde. Wartend: bis zum Veröffentlichungstag.',
  col_rank: 'Platz',
  col_name: 'Fan',
  col_counted: 'Gezählt',
  col_pending: 'Wartend',
  a_fan: 'ein Fan',
  empty: 'Noch hat niemand einen Freund mitgebracht. Sei die erste Person!',
};

export default messages;
