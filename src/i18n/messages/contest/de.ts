import type { ContestMessages } from './index.js';

const messages: ContestMessages = {
  heading: 'Gewinnspiel',
  prize: 'Preis: {prize}',
  starts_on: 'Beginnt am {when}',
  ends_on: 'Endet am {when}',
  ended_on: 'Beendet am {when}',
  your_points: 'Deine Punkte: {points}',
  pending_points: 'Warten auf den Veröffentlichungstag: {points} weitere, sobald die Speicherungen in den Bibliotheken bestätigt sind',
  no_purchase: 'Für die Teilnahme oder den Gewinn ist kein Kauf und keine Zahlung nötig.',
  contact_winners:
    'Gewinner werden nur per E-Mail benachrichtigt, wenn sie auf ihrer Bestätigungsseite eine Adresse hinterlassen und bestätigt haben. Ohne sie kann die Künstlerin oder der Künstler sie nicht erreichen.',
  rules_link: 'Offizielle Teilnahmebedingungen',
  page_title: 'Gewinnspiel: offizielle Teilnahmebedingungen',
  period: 'Vom {start} bis {end}',
  how_to_enter:
    'Um teilzunehmen, speichere diese Veröffentlichung vor. Deine Bestätigungsseite gibt dir dann einen persönlichen Link zum Teilen.',
  how_points: 'So sammelst du Punkte',
  action: 'Was du tust',
  points: 'Punkte',
  points_presave: 'Die Veröffentlichung selbst vorspeichern (zählt, sobald die Speicherung in deiner Bibliothek bestätigt ist)',
  points_referral: 'Jede Person, die über deinen persönlichen Link vorspeichert (zählt, sobald ihre Speicherung bestätigt ist)',
  points_contact: 'Deine E-Mail-Adresse angeben und bestätigen',
  window_note: 'Es zählt nur, was zwischen Beginn und Ende passiert.',
  how_chosen: 'So werden die Gewinner bestimmt',
  method_top:
    'Anzahl der Gewinner: {n}. Es gewinnen die Teilnehmenden mit den meisten Punkten; bei Gleichstand entscheidet der Startwert unten.',
  method_draw:
    'Anzahl der Gewinner: {n}. Die Gewinner werden ausgelost, jeder Punkt zählt als ein Los; die Auslosung nutzt den Startwert unten, sodass jede Person sie wiederholen kann.',
  official_rules: 'Offizielle Teilnahmebedingungen',
  seed_heading: 'Startwert der Auslosung',
  seed_note:
    'Vor der Auslosung veröffentlicht. Mit diesem Startwert und der Liste der Teilnahmen kann jede Person die Auslosung wiederholen und die Gewinner prüfen.',
  winners_heading: 'Gewinner',
  drawn_on: 'Ausgelost am {when}.',
  not_drawn: 'Die Gewinner wurden noch nicht ausgelost.',
  a_fan: 'Ein Fan',
  place: 'Platz',
  name: 'Name',
  entry: 'Teilnahme',
  entries_heading: 'Teilnahmen der Auslosung',
  campaign_line: 'Gewinnspiel: {prize}',
};

export default messages;
