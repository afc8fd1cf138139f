import type { Campaign } from '../../campaigns/repo.js';
import { isolate, translator, type Lang } from '../../i18n/index.js';
import { html, raw, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

/** One row of the public leaderboard: never an email or an account id, only what the fan chose to show. */
export interface LeaderboardRow {
  rank: number;
  /** The chosen name, unless the artist hid it; null: "a fan". */
  name: string | null;
  counted: number;
  pending: number;
}

// Tight cells and a smaller font so the four columns fit a 320 px phone in most languages; where
// they do not (Spanish), the layout's side-scrolling table takes over, and tabindex lets a keyboard
// scroll it (axe: scrollable-region-focusable).
const STYLE = `.leaderboard{width:100%;border-collapse:collapse;margin-top:1rem;font-size:.85rem}
.leaderboard th,.leaderboard td{padding:.4rem .2rem;text-align:start;border-bottom:1px solid #333}
.leaderboard td[data-name]{overflow-wrap:anywhere}
.leaderboard td.num,.leaderboard th.num{text-align:end;font-variant-numeric:tabular-nums}`;

/** `/{slug}/leaderboard`: the top referrers by standings (growth/referrals/state.ts). */
export function leaderboardPage(o: { campaign: Campaign; lang: Lang; rows: LeaderboardRow[]; nonce: string }): SafeHtml {
  const say = translator(o.lang);
  const c = o.campaign;
  return layout({
    title: say('referral.leaderboard_title', { title: isolate(o.lang, c.title) }),
    nonce: o.nonce,
    lang: o.lang,
    body: html`<article class="card" data-leaderboard>
      <style nonce="${o.nonce}">${raw(STYLE)}</style>
      <h1 id="leaderboard-h">${say('referral.leaderboard_heading')}</h1>
      <h2><bdi>${c.title}</bdi> · <bdi>${c.artist_name}</bdi></h2>
      <p class="muted">${say('referral.leaderboard_intro')}</p>
      ${
        o.rows.length
          ? html`<table class="leaderboard" tabindex="0" aria-labelledby="leaderboard-h">
              <thead>
                <tr>
                  <th scope="col">${say('referral.col_rank')}</th>
                  <th scope="col">${say('referral.col_name')}</th>
                  <th scope="col" class="num">${say('referral.col_counted')}</th>
                  <th scope="col" class="num">${say('referral.col_pending')}</th>
                </tr>
              </thead>
              <tbody>
                ${o.rows.map(
                  (r) =>
                    html`<tr data-row>
                      <td>${r.rank}</td>
                      <td data-name${r.name === null ? html` data-anonymous` : ''}><bdi>${r.name ?? say('referral.a_fan')}</bdi></td>
                      <td class="num" data-counted>${r.counted}</td>
                      <td class="num" data-pending>${r.pending}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : html`<p data-empty>${say('referral.empty')}</p>`
      }
      <p><a href="/${c.slug}?lang=${o.lang}">${say('common.back_to_campaign')}</a></p>
    </article>`,
  });
}
