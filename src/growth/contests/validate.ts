import { instantOf, parseReleaseAt } from '../../campaigns/timing.js';
import type { ContestMethod } from '../../db/schema-growth.js';
import { nameProblem, normalizeName, storableTextProblem } from '../../util/text.js';
import type { Contest } from './read.js';

/** The contest form as typed (datetime-local values are wall times in the campaign's zone). */
export interface ContestInput {
  prize?: string;
  rules?: string;
  startsAt?: string;
  endsAt?: string;
  pointsPresave?: string;
  pointsReferral?: string;
  pointsContact?: string;
  method?: string;
  winners?: string;
}

export interface ContestFields {
  prize: string;
  rules: string;
  startsAt: number;
  endsAt: number;
  pointsPresave: number;
  pointsReferral: number;
  pointsContact: number;
  method: ContestMethod;
  winners: number;
}

export const PRIZE_MAX = 200;
export const RULES_MAX = 20_000;
export const POINTS_MAX = 1000;
export const WINNERS_MAX = 100;

const INT = /^\s*\d{1,9}\s*$/;

function intIn(s: string | undefined, lo: number, hi: number): number | null {
  if (s === undefined || !INT.test(s)) return null;
  const n = Number(s);
  return n >= lo && n <= hi ? n : null;
}

/**
 * Every problem at once, each naming its field, like the campaign editor. After the contest has
 * ended, what decides the outcome (method, number of winners, points, start and end) may no longer
 * change: the entrants played by those rules and the seed was published for them.
 */
export function validateContest(
  input: ContestInput,
  o: { zone: string; now: number; current: Contest | null },
): { ok: true; fields: ContestFields } | { ok: false; errors: Record<string, string> } {
  const errs: Record<string, string> = {};
  const prize = normalizeName(input.prize ?? '');
  if (!prize) errs.prize = 'is required: say what the winners get';
  else if ([...prize].length > PRIZE_MAX) errs.prize = `is at most ${PRIZE_MAX} characters (this one is ${[...prize].length})`;
  else {
    const p = nameProblem(prize);
    if (p) errs.prize = p;
  }
  const rules = (input.rules ?? '').replace(/\r\n?/g, '\n').trim();
  if (!rules) errs.rules = 'are required: the official rules entrants agree to';
  else if ([...rules].length > RULES_MAX)
    errs.rules = `are at most ${RULES_MAX.toLocaleString('en')} characters (these are ${[...rules].length.toLocaleString('en')})`;
  else {
    const p = storableTextProblem(rules);
    if (p) errs.rules = p;
  }

  const when = (field: 'startsAt' | 'endsAt', label: string): number | null => {
    const text = (input[field] ?? '').trim();
    if (!text) {
      errs[field] = `Enter the ${label} date and time (both: the field stays empty until the time is filled in too).`;
      return null;
    }
    const wall = parseReleaseAt(text, o.zone);
    if (!wall) {
      errs[field] = 'must be a date and time like 2026-12-05T18:00';
      return null;
    }
    return instantOf(wall, o.zone);
  };
  const startsAt = when('startsAt', 'start');
  const endsAt = when('endsAt', 'end');
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt) errs.endsAt = 'must be after the start';

  const points = {} as Record<'pointsPresave' | 'pointsReferral' | 'pointsContact', number>;
  for (const f of ['pointsPresave', 'pointsReferral', 'pointsContact'] as const) {
    const n = intIn(input[f], 0, POINTS_MAX);
    if (n === null) errs[f] = `must be a whole number from 0 to ${POINTS_MAX}`;
    else points[f] = n;
  }
  if (
    !errs.pointsPresave &&
    !errs.pointsReferral &&
    !errs.pointsContact &&
    points.pointsPresave + points.pointsReferral + points.pointsContact === 0
  )
    errs.pointsPresave = 'at least one way of earning points must be worth more than 0';

  const method = input.method === 'top' || input.method === 'draw' ? input.method : null;
  if (!method) errs.method = 'choose "top N" or "weighted draw"';
  const winners = intIn(input.winners, 1, WINNERS_MAX);
  if (winners === null) errs.winners = `must be a whole number from 1 to ${WINNERS_MAX}`;

  const cur = o.current;
  if (cur && o.now >= cur.ends_at) {
    const locked = 'cannot change after the contest has ended (entrants played by the published rules)';
    if (method && method !== cur.method) errs.method = locked;
    if (winners !== null && winners !== cur.winners) errs.winners = locked;
    if (!errs.pointsPresave && points.pointsPresave !== cur.points_presave) errs.pointsPresave = locked;
    if (!errs.pointsReferral && points.pointsReferral !== cur.points_referral) errs.pointsReferral = locked;
    if (!errs.pointsContact && points.pointsContact !== cur.points_contact) errs.pointsContact = locked;
    if (startsAt !== null && startsAt !== cur.starts_at) errs.startsAt = locked;
    if (endsAt !== null && endsAt !== cur.ends_at && !errs.endsAt) errs.endsAt = locked;
  }
  if (Object.keys(errs).length) return { ok: false, errors: errs };
  return {
    ok: true,
    fields: { prize, rules, startsAt: startsAt!, endsAt: endsAt!, ...points, method: method!, winners: winners! },
  };
}
