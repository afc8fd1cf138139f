import { DateTime } from 'luxon';

/**
 * Timing guidance for a campaign: when its link goes live compared with the release, and a
 * timeline from three weeks before to a week after release with what to do when.
 */
export const DAY_MS = 86_400_000;
export const EARLIEST_LEAD_DAYS = 42; // 6 weeks
export const LATEST_LEAD_DAYS = 3;

export interface TimingWarning {
  kind: 'too-early' | 'too-late';
  message: string;
}

/**
 * `liveAt`: when fans can first see the link (a new campaign: now; a saved one: when it was made);
 * `releaseAt`: the first instant the release is out.
 */
export function timingWarning(liveAt: number, releaseAt: number): TimingWarning | null {
  const lead = releaseAt - liveAt;
  const days = Math.floor(lead / DAY_MS);
  if (lead > EARLIEST_LEAD_DAYS * DAY_MS) {
    return {
      kind: 'too-early',
      message:
        `The link goes live ${days} days before the release, more than 6 weeks ahead. ` +
        'Fans tend to forget a pre-save over so long: share the link 3 to 6 weeks before release, or plan regular reminders.',
    };
  }
  if (lead >= LATEST_LEAD_DAYS * DAY_MS) return null;
  const late = 'Few fans will see it in time: share it everywhere at once, or move the release later if you can.';
  if (lead <= 0) {
    return {
      kind: 'too-late',
      message: 'The release is already out when the link goes live, so there is nothing left to pre-save: fans see the smart link instead.',
    };
  }
  const when = lead < DAY_MS ? 'less than a day' : `only ${days} day${days === 1 ? '' : 's'}`;
  return { kind: 'too-late', message: `The link goes live ${when} before the release. ${late}` };
}

export interface TimelineStep {
  day: number;
  /** The calendar date in the campaign's zone, YYYY-MM-DD. */
  date: string;
  title: string;
  what: string;
  state: 'past' | 'today' | 'upcoming';
}

const STEPS: { day: number; title: string; what: string }[] = [
  { day: -21, title: 'Announce', what: 'Share the pre-save link everywhere: bio links, posts, stories, your mailing list.' },
  { day: -14, title: 'Tease', what: 'Post a snippet or the artwork with the link; pin it. Ask your team and friends to share.' },
  { day: -7, title: 'Remind fans', what: 'One week to go: remind fans to pre-save; tell them what they get on release day.' },
  { day: -3, title: 'Countdown', what: 'Start the countdown; reshare the link in stories every day.' },
  { day: -1, title: 'Last call', what: 'Last chance to pre-save: a short reminder with the exact release time.' },
  {
    day: 0,
    title: 'Release day',
    what: 'It is out: the page turns into a smart link. Share it; pre-saves are delivered as the release goes live.',
  },
  { day: 1, title: 'Thank fans', what: 'Thank everyone who pre-saved; share the first reactions and the smart link.' },
  {
    day: 7,
    title: 'Keep it going',
    what: 'One week out: share a new angle (video, live clip, lyrics) with the smart link; look at what worked.',
  },
];

/** The steps, dated in the campaign's zone from its release wall time, and marked against `now`. */
export function campaignTimeline(releaseLocal: string, zone: string, now: number): TimelineStep[] {
  const release = DateTime.fromISO(releaseLocal, { zone });
  if (!release.isValid) return [];
  const today = DateTime.fromMillis(now, { zone }).toISODate();
  return STEPS.map((s) => {
    const date = release.plus({ days: s.day }).toISODate() ?? '';
    const state = today === date ? 'today' : (today ?? '') > date ? 'past' : 'upcoming';
    return { ...s, date, state };
  });
}
