import { Command } from 'commander';
import { getCampaignBySlug } from '../campaigns/repo.js';
import { reasonsSummary, referrerLines, referrersCsv } from '../growth/referrals/export.js';
import { print, printJson, withContext } from './context.js';

/**
 * `dropday referrals <slug> [--json | --csv]`: referrers with their counted, pending, held and
 * not-counted referrals, visits, rank and the reasons the others do not count (the dashboard's
 * Referrals panel and its CSV). No addresses, account ids or device keys.
 */
export function referralsCommand(): Command {
  return new Command('referrals')
    .description('referral links of a campaign: referrers with counted, pending and held referrals')
    .argument('<slug>', 'the campaign')
    .option('--json', 'print JSON')
    .option('--csv', 'print the CSV of the dashboard’s export')
    .action((slug: string, o: { json?: boolean; csv?: boolean }) =>
      withContext(async (ctx) => {
        const c = await getCampaignBySlug(ctx.db, slug);
        const lines = await referrerLines(ctx.db, c.id);
        if (o.csv) {
          for (const chunk of referrersCsv(lines)) process.stdout.write(chunk);
          return;
        }
        if (o.json) {
          printJson({ campaign: c.slug, referrers: lines });
          return;
        }
        if (!lines.length) {
          print(`No referral links yet for ${c.slug}.`);
          return;
        }
        print(`Referrers of ${c.slug} (rank, referrer, counted / pending / held / not counted, visits):`);
        for (const l of lines) {
          const name = l.displayName ? `${l.displayName}${l.nameHidden ? ' (hidden)' : ''} [${l.code}]` : l.code;
          print(
            `  ${l.rank}. ${name}: ${l.counted} counted, ${l.pending} pending, ${l.held} held, ${l.notCounted} not counted; ${l.visits} visits`,
          );
          if (l.reasons.length) print(`     ${reasonsSummary(l)}`);
        }
      }),
    );
}
