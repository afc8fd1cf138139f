/** The tracking prompt on a campaign page with the artist's ad pixels (docs/conversions.md). */
export default {
  prompt: '¿Permites que los socios publicitarios de {artist} (Meta, TikTok, Google) midan esta visita?',
  allow: 'Permitir',
  deny: 'No, gracias',
  failed: 'No se pudo guardar tu respuesta. Inténtalo de nuevo.',
  change: 'Cambiar tu elección sobre la medición publicitaria',
  saved: 'Tu respuesta se guardó.',
};
