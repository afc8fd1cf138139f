import { Command } from 'commander';

/** `dropday referrals <slug> [--json]` (issue 13): referrers with their counts and states. */
export function referralsCommand(): Command {
  return new Command('referrals').description('referral links of a campaign: referrers with counted, pending and held referrals');
}
