import { Command } from 'commander';

/** `dropday contest …` (issue 13): a campaign's contest — standings, the draw and its re-run, winners. */
export function contestCommand(): Command {
  return new Command('contest').description("a campaign's contest: standings, draw winners, re-run a draw from its seed, export winners");
}
