/** The tracking prompt on a campaign page with the artist's ad pixels (docs/conversions.md). */
export default {
  prompt: 'क्या {artist} के विज्ञापन साझेदारों (Meta, TikTok, Google) को इस विज़िट को मापने दें?',
  allow: 'अनुमति दें',
  deny: 'नहीं, धन्यवाद',
  failed: 'आपका जवाब सेव नहीं हो सका। कृपया फिर से कोशिश करें।',
  change: 'विज्ञापन मापन के बारे में अपनी पसंद बदलें',
  saved: 'आपका जवाब सेव हो गया।',
};
