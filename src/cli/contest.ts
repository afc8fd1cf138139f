import { Command } from 'commander';
import { getCampaignBySlug, type Campaign } from '../campaigns/repo.js';
import { describeInstant } from '../campaigns/timing.js';
import type { AppContext } from '../context.js';
import { DropdayError, ValidationError } from '../errors.js';
import { isSeed } from '../growth/contests/draw.js';
import { byPoints, contestEntrants } from '../growth/contests/points.js';
import { contestOf, contestPhase, storedWinners, type Contest } from '../growth/contests/read.js';
import { drawContest, verifyDraw } from '../growth/contests/run.js';
import { tally, winnerLines, winnersCsv } from '../growth/contests/winners-export.js';
import { print, printJson, withContext } from './context.js';

/**
 * `dropday contest …`: a campaign's contest — standings (`show`), the draw after the end (`draw`,
 * once; `--redraw` to replace it), checking a stored draw by re-running it from its entries and
 * seed (`verify`; exit 1 when it does not match), and the winners (`winners`, `--csv` with
 * addresses only of winners who agreed to be contacted).
 */
async function load(ctx: AppContext, slug: string): Promise<{ campaign: Campaign; contest: Contest }> {
  const campaign = await getCampaignBySlug(ctx.db, slug);
  const contest = await contestOf(ctx.db, campaign.id);
  if (!contest) throw new DropdayError('NOT_FOUND', `Campaign "${slug}" has no contest (create it on the campaign's Growth page).`);
  return { campaign, contest };
}

export function contestCommand(): Command {
  const cmd = new Command('contest').description(
    "a campaign's contest: standings, draw winners, re-run a draw from its seed, export winners",
  );

  cmd
    .command('show')
    .description('the contest, its seed and the standings')
    .argument('<slug>', 'the campaign')
    .option('--json', 'print JSON')
    .action((slug: string, o: { json?: boolean }) =>
      withContext(async (ctx) => {
        const { campaign, contest } = await load(ctx, slug);
        const zone = campaign.release_timezone;
        const standings = byPoints(await contestEntrants(ctx.db, contest));
        const winners = await storedWinners(ctx.db, campaign.id);
        const phase = contestPhase(contest, ctx.now());
        if (o.json) {
          printJson({
            campaign: campaign.slug,
            prize: contest.prize,
            startsAt: new Date(contest.starts_at).toISOString(),
            endsAt: new Date(contest.ends_at).toISOString(),
            points: { presave: contest.points_presave, referral: contest.points_referral, contact: contest.points_contact },
            method: contest.method,
            winners: contest.winners,
            seed: contest.seed,
            phase,
            drawnAt: contest.drawn_at === null ? null : new Date(Number(contest.drawn_at)).toISOString(),
            standings: standings.map((s) => ({
              code: s.code,
              name: s.displayName,
              nameHidden: s.nameHidden,
              points: s.points,
              pendingPoints: s.pendingPoints,
            })),
            drawn: winners.map((w) => ({ position: w.position, code: w.code, points: w.points })),
          });
          return;
        }
        print(`Contest of ${campaign.slug}: ${contest.prize}`);
        print(`  ${describeInstant(contest.starts_at, zone)} → ${describeInstant(contest.ends_at, zone)} (${phase})`);
        print(
          `  points: pre-save ${contest.points_presave}, counted referral ${contest.points_referral}, confirmed contact ${contest.points_contact}`,
        );
        print(
          `  ${contest.method === 'top' ? 'top' : 'weighted draw,'} ${contest.winners} winner${contest.winners === 1 ? '' : 's'}; seed ${contest.seed}`,
        );
        print('Standings (points, pending points):');
        for (const s of standings.filter((x) => x.points + x.pendingPoints > 0))
          print(`  ${s.displayName ?? '(no name)'} [${s.code}]: ${s.points}, ${s.pendingPoints} pending`);
        if (winners.length) {
          print('Winners:');
          for (const w of winners) print(`  ${w.position}. [${w.code}] ${w.points} points`);
        }
      }),
    );

  cmd
    .command('draw')
    .description('draw the winners (only after the contest ended; once, unless --redraw)')
    .argument('<slug>', 'the campaign')
    .option('--redraw', 'replace an earlier draw (the rules page shows the new one)')
    .action((slug: string, o: { redraw?: boolean }) =>
      withContext(async (ctx) => {
        const { campaign, contest } = await load(ctx, slug);
        const { entries, winners } = await drawContest(ctx.db, contest, {
          now: ctx.now(),
          zone: campaign.release_timezone,
          redraw: !!o.redraw,
        });
        ctx.log.info({ event: 'contest_drawn', campaign: campaign.id, via: 'cli', redraw: !!o.redraw }, 'contest winners drawn');
        print(
          `Drew ${winners.length} winner${winners.length === 1 ? '' : 's'} from ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} with seed ${contest.seed}:`,
        );
        for (const w of winners) print(`  ${w.position}. entry #${w.entry} [${w.code}] ${w.points} points`);
      }),
    );

  cmd
    .command('verify')
    .description('re-run the stored draw from its entries and seed, and say whether it matches the stored winners')
    .argument('<slug>', 'the campaign')
    .option('--seed <hex>', 'the seed to re-run with (64 hex digits; default: the published one)')
    .action((slug: string, o: { seed?: string }) =>
      withContext(async (ctx) => {
        const { contest } = await load(ctx, slug);
        if (o.seed !== undefined && !isSeed(o.seed.toLowerCase())) throw new ValidationError({ seed: 'must be 64 hex digits (32 bytes)' });
        const v = await verifyDraw(ctx.db, contest, o.seed?.toLowerCase());
        print(`Re-ran the draw with seed ${v.seed}:`);
        for (const r of v.rerun) {
          const s = v.stored.find((x) => x.position === r.position);
          const note = !s?.code ? 'stored: gone (the winner erased their pre-save)' : s.code === r.code ? 'matches' : `stored: [${s.code}]`;
          print(`  ${r.position}. entry #${r.entry} [${r.code}] ${r.points} points — ${note}`);
        }
        if (v.matches) print('The stored winners match the draw.');
        else {
          print('The stored winners do NOT match this draw.');
          process.exitCode = 1;
        }
      }),
    );

  cmd
    .command('winners')
    .description('the drawn winners; --csv with the address of each winner who agreed to be contacted')
    .argument('<slug>', 'the campaign')
    .option('--csv', 'print the CSV (addresses only of winners who agreed to be contacted)')
    .action((slug: string, o: { csv?: boolean }) =>
      withContext(async (ctx) => {
        const { campaign, contest } = await load(ctx, slug);
        if (contest.drawn_at === null)
          throw new DropdayError('CONTEST_DRAW_REFUSED', 'The winners have not been drawn yet (`dropday contest draw`).');
        const lines = await winnerLines(ctx.db, ctx.cipher, campaign.id);
        const t = tally(lines);
        if (o.csv) {
          for (const chunk of winnersCsv(lines)) process.stdout.write(chunk);
          ctx.log.info({ event: 'contest_winners_export', campaign: campaign.id, via: 'cli', ...t }, 'contest winners exported');
          process.stderr.write(`Exported ${t.winners} winner${t.winners === 1 ? '' : 's'}, ${t.withAddress} with an address.\n`);
          return;
        }
        for (const l of lines) print(`  ${l.position}. ${l.name}: ${l.points} points${l.email ? '' : ' (did not agree to be contacted)'}`);
      }),
    );
  return cmd;
}
