/** Referral links and the leaderboard (growth/referrals): the receipt's share link, count and rank, the public leaderboard. */
export default {
  heading: 'Bring your friends',
  intro: 'This is your personal link. Friends who pre-save through it count for you.',
  link_label: 'Your link',
  counts:
    '{counted, plural, one {# referral counted} other {# referrals counted}}, {pending, plural, one {# pending verification} other {# pending verification}}',
  how_counted:
    'A referral counts once your friend’s save is verified in their library on release day; until then it is pending. The same friend counts once.',
  rank: 'You are #{rank} of {total}.',
  name_label: 'Your name on the public leaderboard (optional)',
  name_hint: 'Leave it blank to stay off the list as a name (you are shown as “a fan”). At most {max} characters.',
  name_save: 'Save name',
  name_saved: 'Your leaderboard name was saved.',
  name_too_long: 'The name for the leaderboard is too long: at most {max} characters.',
  name_bad_characters: 'The name for the leaderboard cannot contain line breaks, tabs or invisible characters.',
  leaderboard_link: 'See the leaderboard',
  leaderboard_title: 'Leaderboard: {title}',
  leaderboard_heading: 'Who brought the most friends',
  leaderboard_intro: 'Counted: friends whose save was verified in their library. Pending: waiting for release day.',
  col_rank: 'Rank',
  col_name: 'Fan',
  col_counted: 'Counted',
  col_pending: 'Pending',
  a_fan: 'a fan',
  empty: 'Nobody has brought a friend yet. Be the first!',
};
