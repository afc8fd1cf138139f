import type { Campaign } from '../../campaigns/repo.js';
import type { DrawEntry } from '../../growth/contests/draw.js';
import type { Contest } from '../../growth/contests/read.js';
import { formatInstant, isolate, t, type Lang } from '../../i18n/index.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../views/layout.js';
import type { Theme } from '../views/theme.js';

/**
 * The public rules page `/{slug}/contest`, in the fan's language: prize, period, how points are
 * earned, how winners are chosen, the artist's official rules (their own words, as written), that
 * nothing need be bought, the seed from the moment the contest exists, and after the draw the
 * winners (names fans chose to show, never codes) and the numbered entries the draw ran on — what
 * anyone needs to re-run it (docs/contests.md).
 */
export interface ContestPageData {
  campaign: Campaign;
  contest: Contest;
  lang: Lang;
  nonce: string;
  theme?: Theme;
  /** Shown names by code (chosen and not hidden by the artist). */
  names: Map<string, string>;
  winners: { position: number; code: string; points: number }[];
  entries: DrawEntry[] | null;
}

/** The page's own few rules (text starts at the reading edge; the artist's line breaks kept). */
const CONTEST_STYLE = '.contest{text-align:start}.contest .rules{white-space:pre-wrap}.contest code{font-size:.85rem}';

export function contestRulesPage(d: ContestPageData): SafeHtml {
  const { campaign: c, contest: k, lang } = d;
  const say = (key: Parameters<typeof t>[1], values?: Parameters<typeof t>[2]) => t(lang, key, values);
  const zone = c.release_timezone;
  const when = (at: number) => formatInstant(at, zone, lang);
  const shown = (code: string) => d.names.get(code) ?? say('contest.a_fan');
  const ways = [
    ['presave', say('contest.points_presave'), k.points_presave],
    ['referral', say('contest.points_referral'), k.points_referral],
    ['contact', say('contest.points_contact'), k.points_contact],
  ] as const;
  const entryNo = new Map((d.entries ?? []).map((e, i) => [e.code, i + 1]));
  const results =
    k.drawn_at === null
      ? html`<p data-contest="not-drawn">${say('contest.not_drawn')}</p>`
      : html`<p data-contest="drawn">${say('contest.drawn_on', { when: when(Number(k.drawn_at)) })}</p>
          <table id="contest-winners">
            <thead>
              <tr><th scope="col">${say('contest.place')}</th><th scope="col">${say('contest.name')}</th><th scope="col">${say('contest.entry')}</th><th scope="col">${say('contest.points')}</th></tr>
            </thead>
            <tbody>
              ${d.winners.map(
                (w) =>
                  html`<tr><td>${w.position}</td><td><bdi>${shown(w.code)}</bdi></td><td>#${entryNo.get(w.code) ?? ''}</td><td>${w.points}</td></tr>`,
              )}
            </tbody>
          </table>
          <h3>${say('contest.entries_heading')}</h3>
          <table id="contest-entries">
            <thead>
              <tr><th scope="col">${say('contest.entry')}</th><th scope="col">${say('contest.name')}</th><th scope="col">${say('contest.points')}</th></tr>
            </thead>
            <tbody>
              ${(d.entries ?? []).map((e, i) => html`<tr><td>#${i + 1}</td><td><bdi>${shown(e.code)}</bdi></td><td>${e.points}</td></tr>`)}
            </tbody>
          </table>`;
  return layout({
    title: `${c.title} — ${say('contest.page_title')}`,
    nonce: d.nonce,
    lang,
    ...(d.theme ? { theme: d.theme } : {}),
    body: html`<style nonce="${d.nonce}">
        ${CONTEST_STYLE}
      </style>
      <article class="card contest">
      <p><a href="/${c.slug}?lang=${lang}"><bdi>${c.title}</bdi> · <bdi>${c.artist_name}</bdi></a></p>
      <h1>${say('contest.page_title')}</h1>
      <p data-contest="prize"><strong>${say('contest.prize', { prize: isolate(lang, k.prize) })}</strong></p>
      <p data-contest="period">${say('contest.period', { start: when(k.starts_at), end: when(k.ends_at) })}</p>
      <p data-contest="no-purchase"><strong>${say('contest.no_purchase')}</strong></p>
      <p data-contest="contact-winners">${say('contest.contact_winners')}</p>
      <p>${say('contest.how_to_enter')}</p>
      <h2>${say('contest.how_points')}</h2>
      <table id="contest-points">
        <thead>
          <tr><th scope="col">${say('contest.action')}</th><th scope="col">${say('contest.points')}</th></tr>
        </thead>
        <tbody>
          ${ways.map(([key, words, n]) => html`<tr data-points="${key}"><td>${words}</td><td>${n}</td></tr>`)}
        </tbody>
      </table>
      <p class="muted">${say('contest.window_note')}</p>
      <h2>${say('contest.how_chosen')}</h2>
      <p data-contest="method">${k.method === 'top' ? say('contest.method_top', { n: k.winners }) : say('contest.method_draw', { n: k.winners })}</p>
      <h2>${say('contest.seed_heading')}</h2>
      <p><code data-contest="seed">${k.seed ?? ''}</code></p>
      <p class="muted">${say('contest.seed_note')}</p>
      <h2>${say('contest.official_rules')}</h2>
      <div class="rules" dir="auto" data-contest="rules">${k.rules}</div>
      <h2>${say('contest.winners_heading')}</h2>
      ${results}
    </article>`,
  });
}
