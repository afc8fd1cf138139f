import type { FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { describeInstant } from '../../campaigns/timing.js';
import { byPoints, contestEntrants } from '../../growth/contests/points.js';
import { contestOf, contestPhase, storedWinners, type Contest } from '../../growth/contests/read.js';
import { POINTS_MAX, PRIZE_MAX, RULES_MAX, WINNERS_MAX, type ContestInput } from '../../growth/contests/validate.js';
import { csrfField } from '../csrf.js';
import { html, raw, type SafeHtml } from '../html.js';
import { alertBox, fieldError, noticeBox } from '../views/auth/shell.js';
import { empty, table } from '../views/dashboard/campaign.js';
import { invalid } from './form-artist.js';
import type { ArtistInput, Section } from './types.js';

/**
 * The artist's side of the contest (docs/contests.md): the dashboard's standings, and the Growth
 * page's section — the form (every problem at once, each field named, nothing stored on error),
 * the published seed, the rules page, the draw once the contest has ended, and the winners' CSV.
 */

/** What the contest form was sent with when it is shown again with its problems (growth-contest.ts). */
const formState = new WeakMap<FastifyRequest, { values: ContestInput; errors: Record<string, string> }>();

export function showContestForm(req: FastifyRequest, values: ContestInput, errors: Record<string, string>): void {
  formState.set(req, { values, errors });
}

const STANDINGS_SHOWN = 50;

function who(e: { displayName: string | null; nameHidden: boolean; code: string }): SafeHtml {
  const name = e.displayName
    ? html`<bdi>${e.displayName}</bdi>${e.nameHidden ? ' (hidden)' : ''}`
    : html`<span class="muted">no name</span>`;
  return html`${name} <code>${e.code}</code>`;
}

/** The contest panel of the campaign dashboard: standings with points. */
export async function contestPanel(i: ArtistInput): Promise<Section> {
  const contest = await contestOf(i.ctx.db, i.campaign.id);
  if (!contest) return '';
  const phase = contestPhase(contest, i.now);
  const list = byPoints(await contestEntrants(i.ctx.db, contest)).filter((e) => e.points + e.pendingPoints > 0);
  const rows = list.slice(0, STANDINGS_SHOWN).map(
    (e, n) => html`<tr data-entrant="${e.code}">
      <td>${n + 1}</td>
      <td>${who(e)}</td>
      <td class="n" data-contest="points">${e.points}</td>
      <td class="n" data-contest="pending">${e.pendingPoints}</td>
      <td class="n">${e.presave === 'counted' ? 'yes' : e.presave === 'pending' ? 'pending' : '—'}</td>
      <td class="n">${e.referrals}</td>
      <td class="n">${e.contact ? 'yes' : '—'}</td>
    </tr>`,
  );
  return html`<section class="panel" id="contest" aria-labelledby="contest-h">
    <h2 id="contest-h">Contest</h2>
    <p>${contest.prize} — ${phaseWords(contest, phase, i.campaign.release_timezone)}. <a href="/${i.campaign.slug}/contest">Rules page</a> · <a href="${i.base}/growth#contest-settings">Settings</a></p>
    ${
      rows.length
        ? table(
            'contest-standings',
            ['#', 'Entrant'],
            ['Points', 'Pending points', 'Own pre-save', 'Counted referrals', 'Confirmed contact'],
            rows,
          )
        : empty('No entrant has points yet.')
    }
    ${list.length > STANDINGS_SHOWN ? html`<p class="muted">The first ${STANDINGS_SHOWN} of ${list.length} entrants with points.</p>` : ''}
  </section>`;
}

function phaseWords(c: Contest, phase: ReturnType<typeof contestPhase>, zone: string): string {
  if (phase === 'upcoming') return `starts ${describeInstant(c.starts_at, zone)}`;
  if (phase === 'running') return `running until ${describeInstant(c.ends_at, zone)}`;
  if (phase === 'ended') return `ended ${describeInstant(c.ends_at, zone)}; the winners are not drawn yet`;
  return `winners drawn ${describeInstant(Number(c.drawn_at), zone)}`;
}

const wall = (at: number, zone: string) => DateTime.fromMillis(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

function valuesOf(c: Contest | null, zone: string): ContestInput {
  if (!c) return { pointsPresave: '1', pointsReferral: '1', pointsContact: '0', method: 'draw', winners: '1' };
  return {
    prize: c.prize,
    rules: c.rules,
    startsAt: wall(c.starts_at, zone),
    endsAt: wall(c.ends_at, zone),
    pointsPresave: String(c.points_presave),
    pointsReferral: String(c.points_referral),
    pointsContact: String(c.points_contact),
    method: c.method,
    winners: String(c.winners),
  };
}

const DONE: Record<string, string> = {
  'contest-saved': 'Contest saved.',
  'contest-drawn': 'Winners drawn. The rules page now shows them with the entries the draw ran on.',
};

/** The contest section of the campaign's Growth page (/w/<ws>/campaigns/<slug>/growth). */
export async function contestSettings(i: ArtistInput): Promise<Section> {
  const { ctx, req, campaign } = i;
  const zone = campaign.release_timezone;
  const contest = await contestOf(ctx.db, campaign.id);
  const state = formState.get(req);
  const v = state?.values ?? valuesOf(contest, zone);
  const errs = state?.errors ?? {};
  const done = (req.query as { done?: unknown }).done;
  const phase = contest ? contestPhase(contest, i.now) : null;
  const winners = contest?.drawn_at != null ? await storedWinners(ctx.db, campaign.id) : [];
  const text = (field: keyof ContestInput, label: string, o: { type?: string; max?: number; hint?: string; min?: number } = {}) =>
    html`<div>
      <label for="c-${field}">${label}</label>
      <input id="c-${field}" name="${field}" type="${o.type ?? 'text'}" value="${v[field] ?? ''}" ${o.max && o.type !== 'number' ? raw(`maxlength="${o.max}"`) : ''} ${o.type === 'number' ? raw(`min="${o.min ?? 0}" max="${o.max}" step="1"`) : ''} ${invalid(errs, field)} />
      ${o.hint ? html`<p class="hint">${o.hint}</p>` : ''} ${fieldError(errs, field)}
    </div>`;
  const status = contest
    ? html`<p data-contest="status">${phaseWords(contest, phase!, zone)}. <a href="/${campaign.slug}/contest">Public rules page</a></p>
        <p>Seed of the draw (published on the rules page since ${describeInstant(Number(contest.seed_published_at), zone)}): <code data-contest="seed">${contest.seed ?? ''}</code></p>
        ${
          phase === 'ended' && i.mayEdit
            ? html`<form method="post" action="${i.base}/contest/draw">${csrfField(req)}<button class="btn small" type="submit">Draw the winners</button></form>`
            : ''
        }
        ${
          winners.length
            ? html`<p data-contest="winners">${winners.length} winner${winners.length === 1 ? '' : 's'} drawn.
                ${
                  i.mayEdit
                    ? html`<a href="${i.base}/contest/winners.csv" download>Export winners (CSV)</a> <span class="muted">(addresses only of winners who agreed to be contacted)</span>`
                    : html`<span class="muted">Editors can export the winners.</span>`
                }</p>`
            : ''
        }`
    : html`<p class="muted">No contest yet. Fill in the form to start one: a seed for the draw is made and published with it.</p>`;
  return html`<section class="panel" id="contest-settings" aria-labelledby="contest-settings-h">
    <h2 id="contest-settings-h">Contest</h2>
    ${typeof done === 'string' ? noticeBox(DONE[done]) : ''}
    ${Object.keys(errs).length ? alertBox(`Nothing was saved: ${Object.keys(errs).length} field${Object.keys(errs).length === 1 ? '' : 's'} to fix below.`) : ''}
    ${status}
    <form id="contest-form" method="post" action="${i.base}/contest" novalidate>
      ${csrfField(req)}
      <fieldset ${i.mayEdit ? '' : 'disabled'}>
        ${text('prize', 'Prize', { max: PRIZE_MAX, hint: `What the winners get (at most ${PRIZE_MAX} characters).` })}
        <label for="c-rules">Official rules</label>
        <textarea id="c-rules" name="rules" rows="8" maxlength="${RULES_MAX}" ${invalid(errs, 'rules')}>${v.rules ?? ''}</textarea>
        <p class="hint">Shown as written on the public rules page, with "No purchase or payment is necessary to enter or win".</p>
        ${fieldError(errs, 'rules')}
        <div class="row">
          ${text('startsAt', `Start (${zone})`, { type: 'datetime-local' })} ${text('endsAt', `End (${zone})`, { type: 'datetime-local' })}
        </div>
        <div class="row">
          ${text('pointsPresave', 'Points per pre-save', { type: 'number', max: POINTS_MAX })}
          ${text('pointsReferral', 'Points per counted referral', { type: 'number', max: POINTS_MAX })}
          ${text('pointsContact', 'Points per confirmed contact', { type: 'number', max: POINTS_MAX })}
        </div>
        <fieldset role="radiogroup" aria-labelledby="c-method-l">
          <p id="c-method-l"><strong>How winners are chosen</strong></p>
          <label><input type="radio" name="method" value="top" ${v.method === 'top' ? 'checked' : ''} /> Top N: the most points win</label>
          <label><input type="radio" name="method" value="draw" ${v.method === 'draw' ? 'checked' : ''} /> Weighted draw: each point is one chance</label>
          ${fieldError(errs, 'method')}
        </fieldset>
        ${text('winners', 'Number of winners', { type: 'number', min: 1, max: WINNERS_MAX })}
        <p><button class="btn small" type="submit">Save contest</button></p>
      </fieldset>
    </form>
  </section>`;
}
