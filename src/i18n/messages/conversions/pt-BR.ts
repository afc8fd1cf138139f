/** The tracking prompt on a campaign page with the artist's ad pixels (docs/conversions.md). */
export default {
  prompt: 'Permitir que os parceiros de anúncios de {artist} (Meta, TikTok, Google) meçam esta visita?',
  allow: 'Permitir',
  deny: 'Não, obrigado',
  failed: 'Não foi possível salvar sua resposta. Tente de novo.',
  change: 'Mudar sua escolha sobre a medição de anúncios',
  saved: 'Sua resposta foi salva.',
};
