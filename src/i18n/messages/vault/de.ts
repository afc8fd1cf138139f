import type { VaultMessages } from './index.js';

const messages: VaultMessages = {
  heading: 'Der Tresor',
  intro:
    'Bonusinhalte von {artist}. Jeder Download-Link funktioniert {minutes} Minuten lang und nur für dich: Lade diese Seite neu, um frische Links zu bekommen.',
  kind_audio: 'Audio',
  kind_image: 'Bild',
  kind_video: 'Video',
  kind_document: 'Dokument',
  kind_archive: 'ZIP-Archiv',
  kind_link: 'Link',
  download: 'Herunterladen',
  open_link: 'Link öffnen',
  downloads_left: '{left, plural, one {Noch # Download} other {Noch # Downloads}}',
  locked: 'Gesperrt',
  locked_presave: 'Wird für Fans freigeschaltet, deren Pre-Save auf dem Weg in ihre Mediathek ist.',
  locked_contact: 'Wird freigeschaltet, sobald du deine E-Mail-Adresse für eine Erinnerung auf dieser Seite bestätigst.',
  locked_referrals:
    'Wird freigeschaltet, sobald {need, plural, one {der Pre-Save von # Freund} other {die Pre-Saves von # Freunden}} über deinen Link bestätigt {need, plural, one {ist} other {sind}} — bisher {have}.',
  locked_release: 'Wird zur Veröffentlichung freigeschaltet: {when}.',
  link_expired_title: 'Dieser Link ist abgelaufen',
  link_expired: 'Download-Links funktionieren nur wenige Minuten. Geh zurück zu deiner Bestätigung, um einen neuen zu bekommen.',
  link_invalid_title: 'Dieser Link gehört nicht dir',
  link_invalid:
    'Dieser Download-Link gehört zu einer anderen Bestätigung oder wurde verändert. Öffne den Tresor über deine eigene Bestätigung.',
  not_qualified_title: 'Noch gesperrt',
  not_qualified: 'Dieser Inhalt ist für dich noch nicht freigeschaltet. Deine Bestätigung zeigt, was ihn freischaltet.',
  limit_title: 'Download-Limit erreicht',
  limit_reached:
    'Du hast das bereits {limit, plural, one {# Mal} other {# Mal}} heruntergeladen, so oft wie der Artist erlaubt. Wurde ein Download unterbrochen, kann dein Browser ihn fortsetzen.',
  gone: 'Der Artist hat diesen Inhalt aus dem Tresor entfernt.',
  back_to_receipt: 'Zurück zu deiner Bestätigung',
};

export default messages;
