import { referrerLines, reasonsSummary } from '../../growth/referrals/export.js';
import { referralsForReview } from '../../growth/referrals/review.js';
import { leaderboardPublic } from '../../growth/settings.js';
import { csrfField } from '../csrf.js';
import { html, type SafeHtml } from '../html.js';
import { noticeBox } from '../views/auth/shell.js';
import { empty, table } from '../views/dashboard/campaign.js';
import type { ArtistInput, Section } from './types.js';

/**
 * The artist's view of referrals (docs/referrals-artist.md): every referrer with counted, pending,
 * held and not-counted referrals, visits and rank; the held and not-counted referrals with their
 * reason in words; Approve / Reject for held ones and Hide name / Show name (editors, CSRF forms
 * that POST-redirect-GET back here); the CSV. The Growth page's section turns the public
 * leaderboard on or off.
 */
const DONE: Record<string, string> = {
  'referral-approved': 'Referral approved: it counts once the referred save is verified.',
  'referral-rejected': 'Referral rejected: it will not count.',
  'referral-not-held': 'That referral is no longer held (someone answered it already).',
  'name-hidden': 'Name hidden: the leaderboard and the rules page show "a fan" instead.',
  'name-shown': 'Name shown again.',
  'leaderboard-on': 'The leaderboard is public.',
  'leaderboard-off': 'The leaderboard is no longer public.',
};

export function doneNotice(i: ArtistInput): SafeHtml | '' {
  const done = (i.req.query as { done?: unknown }).done;
  return typeof done === 'string' ? noticeBox(DONE[done]) : '';
}

const REFERRERS_SHOWN = 100;
const REVIEW_SHOWN = 100;

function when(at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** The referral panel of the campaign dashboard. */
export async function referralPanel(i: ArtistInput): Promise<Section> {
  const { ctx, campaign, req } = i;
  const [lines, review] = await Promise.all([referrerLines(ctx.db, campaign.id), referralsForReview(ctx.db, campaign.id, REVIEW_SHOWN)]);
  if (!lines.length) return '';
  const action = (path: string, fields: SafeHtml, label: string, aria: string, danger = false) =>
    html`<form class="inline" method="post" action="${i.base}/referrals/${path}">
      ${csrfField(req)}${fields}<button class="btn small${danger ? ' danger' : ''}" type="submit" aria-label="${aria}">${label}</button>
    </form>`;
  const label = (name: string | null, code: string) => (name ? html`<bdi>${name}</bdi>` : html`<code>${code}</code>`);
  const referrers = lines.slice(0, REFERRERS_SHOWN).map(
    (l) => html`<tr data-referrer="${l.code}">
      <td>${l.rank}</td>
      <td>${label(l.displayName, l.code)}${l.nameHidden ? html` <span class="muted">(name hidden)</span>` : ''}</td>
      <td>${reasonsSummary(l)}</td>
      <td class="n" data-ref="counted">${l.counted}</td>
      <td class="n" data-ref="pending">${l.pending}</td>
      <td class="n" data-ref="held">${l.held}</td>
      <td class="n" data-ref="not_counted">${l.notCounted}</td>
      <td class="n" data-ref="visits">${l.visits}</td>
      ${
        i.mayEdit
          ? html`<td>
              ${
                l.displayName
                  ? l.nameHidden
                    ? action(
                        'show-name',
                        html`<input type="hidden" name="code" value="${l.code}" />`,
                        'Show name',
                        `Show the name ${l.displayName}`,
                      )
                    : action(
                        'hide-name',
                        html`<input type="hidden" name="code" value="${l.code}" />`,
                        'Hide name',
                        `Hide the name ${l.displayName}`,
                      )
                  : ''
              }
            </td>`
          : ''
      }
    </tr>`,
  );
  const details = review.map(
    (r) => html`<tr data-referral="${r.id}" data-state="${r.state}">
      <td>${when(r.createdAt)}</td>
      <td>${label(r.referrer, r.code)}</td>
      <td>${r.state === 'held' ? 'Held for review' : 'Not counted'}</td>
      <td data-reason="${r.reason ?? ''}">${r.words}</td>
      ${
        i.mayEdit
          ? html`<td>
              ${
                r.state === 'held'
                  ? html`${action(`${r.id}/approve`, html``, 'Approve', `Approve referral ${r.id}`)}
                    ${action(`${r.id}/reject`, html``, 'Reject', `Reject referral ${r.id}`, true)}`
                  : ''
              }
            </td>`
          : ''
      }
    </tr>`,
  );
  const actions = i.mayEdit ? ['Actions'] : [];
  return html`<section class="panel" id="referrals" aria-labelledby="referrals-h">
    <h2 id="referrals-h">Referrals</h2>
    ${doneNotice(i)}
    <p class="muted">
      A referral counts once the referred fan's save is verified in their library. Held ones wait for your review; the reasons say why the
      others do not count. <a href="${i.base}/referrals.csv" download>Export referrers (CSV)</a>
    </p>
    ${table('referrers', ['Rank', 'Referrer', 'Reasons'], ['Counted', 'Pending', 'Held', 'Not counted', 'Visits', ...actions], referrers)}
    ${lines.length > REFERRERS_SHOWN ? html`<p class="muted">The first ${REFERRERS_SHOWN} of ${lines.length} referrers; the CSV has them all.</p>` : ''}
    <h3>Held and not counted</h3>
    ${details.length ? table('referral-review', ['When', 'Referrer', 'State', 'Reason', ...actions], [], details) : empty('Every referral so far counts or is waiting for release day.')}
  </section>`;
}

/** The referral section of the campaign's Growth page: the public leaderboard on or off. */
export async function referralSettings(i: ArtistInput): Promise<Section> {
  const on = await leaderboardPublic(i.ctx.db, i.campaign.id);
  const url = `${i.ctx.config.publicUrl}/${i.campaign.slug}/leaderboard`;
  return html`<section class="panel" id="referral-settings" aria-labelledby="referral-settings-h">
    <h2 id="referral-settings-h">Referrals and the leaderboard</h2>
    ${doneNotice(i)}
    <p data-leaderboard="${on ? 'on' : 'off'}">
      The public leaderboard is <strong>${on ? 'on' : 'off'}</strong>${on ? html`: <a href="${url}">${url}</a>` : ''}. It shows only the names fans chose
      to show (never addresses or account ids); hide a name from the dashboard's Referrals panel.
    </p>
    ${
      i.mayEdit
        ? html`<form method="post" action="${i.base}/leaderboard">
            ${csrfField(i.req)}<input type="hidden" name="public" value="${on ? 'off' : 'on'}" />
            <button class="btn small" type="submit">${on ? 'Make the leaderboard private' : 'Make the leaderboard public'}</button>
          </form>`
        : ''
    }
    <p><a href="${i.base}#referrals">Referrers and held referrals</a> are on the dashboard.</p>
  </section>`;
}
