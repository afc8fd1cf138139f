/**
 * The tracking prompt on a campaign page with the artist's ad pixels (docs/conversions.md): asked
 * before any tracker loads; the words are recorded with the fan's answer.
 */
export default {
  prompt: 'Allow {artist}’s ad partners (Meta, TikTok, Google) to measure this visit?',
  allow: 'Allow',
  deny: 'No thanks',
  failed: 'Your answer could not be saved. Please try again.',
  change: 'Change your ad-measurement choice',
  saved: 'Your answer is saved.',
};
