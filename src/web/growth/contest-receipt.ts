import { contestEntrants } from '../../growth/contests/points.js';
import { contestOf, contestPhase } from '../../growth/contests/read.js';
import { formatInstant, isolate, t } from '../../i18n/index.js';
import { html } from '../html.js';
import type { ReceiptInput, Section } from './types.js';

/**
 * The receipt page's contest section (docs/contests.md): the prize, the end in the fan's own zone,
 * their points (and those waiting for release day), that nothing need be bought, and the rules.
 * Shown from the contest's creation until its draw; a fan without a referral code yet sees no
 * points line (their points are their code's).
 */
export async function contestReceipt(i: ReceiptInput): Promise<Section> {
  const { ctx, campaign, presave, lang } = i;
  const contest = await contestOf(ctx.db, campaign.id);
  if (!contest) return '';
  const phase = contestPhase(contest, i.now);
  if (phase === 'drawn') return '';
  const code = await ctx.db.selectFrom('referral_codes').select('code').where('presave_id', '=', presave.id).executeTakeFirst();
  const me = code ? (await contestEntrants(ctx.db, contest, code.code))[0] : undefined;
  const end = formatInstant(contest.ends_at, presave.timezone, lang);
  return html`<section class="reach" aria-labelledby="contest-h" data-contest="receipt">
    <h2 id="contest-h">${t(lang, 'contest.heading')}</h2>
    <p data-contest="prize"><strong>${t(lang, 'contest.prize', { prize: isolate(lang, contest.prize) })}</strong></p>
    ${phase === 'upcoming' ? html`<p data-contest="starts">${t(lang, 'contest.starts_on', { when: formatInstant(contest.starts_at, presave.timezone, lang) })}</p>` : ''}
    <p data-contest="ends">${t(lang, phase === 'ended' ? 'contest.ended_on' : 'contest.ends_on', { when: end })}</p>
    ${
      me
        ? html`<p data-contest="points">${t(lang, 'contest.your_points', { points: me.points })}</p>
            ${me.pendingPoints > 0 ? html`<p class="muted" data-contest="pending">${t(lang, 'contest.pending_points', { points: me.pendingPoints })}</p>` : ''}`
        : ''
    }
    <p data-contest="no-purchase">${t(lang, 'contest.no_purchase')}</p>
    <p><a href="/${campaign.slug}/contest${i.keepLang}">${t(lang, 'contest.rules_link')}</a></p>
  </section>`;
}
