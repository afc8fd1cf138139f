/** The tracking prompt on a campaign page with the artist's ad pixels (docs/conversions.md). */
export default {
  prompt: 'Autoriser les partenaires publicitaires de {artist} (Meta, TikTok, Google) à mesurer cette visite ?',
  allow: 'Autoriser',
  deny: 'Non merci',
  failed: 'Votre réponse n’a pas pu être enregistrée. Réessayez.',
  change: 'Modifier votre choix sur la mesure publicitaire',
  saved: 'Votre réponse est enregistrée.',
};
