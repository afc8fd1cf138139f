/** The tracking prompt on a campaign page with the artist's ad pixels (docs/conversions.md). */
export default {
  prompt: 'Dürfen die Werbepartner von {artist} (Meta, TikTok, Google) diesen Besuch messen?',
  allow: 'Erlauben',
  deny: 'Nein, danke',
  failed: 'Deine Antwort konnte nicht gespeichert werden. Bitte versuche es erneut.',
  change: 'Deine Wahl zur Werbemessung ändern',
  saved: 'Deine Antwort ist gespeichert.',
};
