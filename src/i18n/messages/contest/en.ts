/** Contests (growth/contests): the prize, the official rules, entering without purchase, the draw. */
export default {
  heading: 'Contest',
};
