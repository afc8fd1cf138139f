/** Early access (growth/previews): the pre-savers' player on the receipt page. */
export default {
  heading: 'Listen early',
  intro: 'A preview of {title}, for the fans who pre-saved it.',
  player_label: 'Preview of {title}',
  no_player: 'Your browser cannot play this preview.',
  keep_private: 'This preview is for you; please don’t share or record it — anything played can be recorded.',
  from: 'You can listen from {date}.',
  not_yet: 'Not yet — this preview plays from {date}.',
  expired: 'This link expired: reload your receipt to listen again.',
  only_presavers: 'Only pre-savers can listen to this preview.',
};
