/** The tracking prompt on a campaign page with the artist's ad pixels (docs/conversions.md). */
export default {
  prompt: 'هل تسمح لشركاء الإعلان لدى {artist} (Meta وTikTok وGoogle) بقياس هذه الزيارة؟',
  allow: 'السماح',
  deny: 'لا، شكرًا',
  failed: 'تعذّر حفظ إجابتك. حاول مرة أخرى.',
  change: 'غيّر اختيارك بشأن قياس الإعلانات',
  saved: 'تم حفظ إجابتك.',
};
