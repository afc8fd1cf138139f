/** Referral links and the leaderboard (growth/referrals): the receipt's share link, count and rank, the public leaderboard. */
export default {
  heading: 'Bring your friends',
};
