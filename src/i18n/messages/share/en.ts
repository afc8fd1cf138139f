/** Sharing a campaign (campaign and thank-you pages) and the social-proof card. Brand names stay as they are. */
export default {
  heading: 'Share',
  share: 'Share',
  share_on: 'Share on {network}',
  copy_link: 'Copy link',
  copied: 'Link copied',
  copy_fallback: 'Copy this link:',
  text_presave: 'Pre-save “{title}” by {artist}',
  text_listen: 'Listen to “{title}” by {artist}',
  card_countries: '{min, plural, one {Countries with # fan or more} other {Countries with # fans or more}}',
};
