import type { PreviewMessages } from './index.js';

const messages: PreviewMessages = {
  heading: 'Vorab hören',
  intro: 'Ein Ausschnitt aus {title} für alle, die vorgespeichert haben.',
  player_label: 'Ausschnitt aus {title}',
  no_player: 'Dein Browser kann diesen Ausschnitt nicht abspielen.',
  keep_private:
    'Dieser Ausschnitt ist für dich; bitte teile ihn nicht und nimm ihn nicht auf — alles, was abgespielt wird, kann aufgenommen werden.',
  from: 'Du kannst ab {date} reinhören.',
  not_yet: 'Noch nicht — dieser Ausschnitt ist ab {date} zu hören.',
  expired: 'Dieser Link ist abgelaufen: Lade deine Bestätigung neu, um wieder zuzuhören.',
  only_presavers: 'Nur wer vorgespeichert hat, kann diesen Ausschnitt hören.',
};

export default messages;
