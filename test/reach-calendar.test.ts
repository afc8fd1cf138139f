import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../src/campaigns/service.js';
import { instantOf } from '../src/campaigns/timing.js';
import { foldLine } from '../src/reach/calendar/ics.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * GET /{slug}/reminder.ics, read by an independent parser (ical.js): the instant for global
 * timing, for local timing in the fan's zone (with the file's own VTIMEZONE, across DST and odd
 * offsets) and floating without one; the words in the fan's language; RFC 5545's folding and
 * escaping; the Google Calendar link; the clear 4xx answers.
 */
const NOW = Date.parse('2030-01-15T12:00:00Z');

interface Parsed {
  comp: ICAL.Component;
  event: ICAL.Event;
}

function parse(text: string): Parsed {
  const comp = new ICAL.Component(ICAL.parse(text));
  // Only the file's own VTIMEZONE: an independent check that it describes the zone correctly.
  for (const vtz of comp.getAllSubcomponents('vtimezone')) {
    const tz = new ICAL.Timezone(vtz);
    ICAL.TimezoneService.remove(tz.tzid);
    ICAL.TimezoneService.register(tz, tz.tzid);
  }
  const again = new ICAL.Component(ICAL.parse(text));
  return { comp: again, event: new ICAL.Event(again.getFirstSubcomponent('vevent')!) };
}

describe.each(testDialects())('the release as a calendar entry (%s)', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => NOW);
    const { ctx } = server;
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const base = { upc: '036000291452', services: ['sandbox'] as const };
    await createCampaign(deps, {
      ...base,
      slug: 'global',
      artistName: 'Nova, Lake; & the \\ Band',
      title: 'Midnight',
      releaseAt: '2030-06-10T18:30',
      timezone: 'Europe/Paris',
      timing: 'global',
      services: ['sandbox'],
    });
    await createCampaign(deps, {
      ...base,
      slug: 'local',
      artistName: 'Store Turn',
      title: 'Everywhere at Midnight',
      releaseAt: '2030-06-10T00:00',
      timezone: 'UTC',
      timing: 'local',
      services: ['sandbox'],
    });
    await createCampaign(deps, {
      ...base,
      slug: 'winter',
      artistName: 'Store Turn',
      title: 'ليلة طويلة جدا في الشتاء مع عنوان طويل يتجاوز خمسة وسبعين بايت بكثير',
      releaseAt: '2030-12-05T00:00',
      timezone: 'UTC',
      timing: 'local',
      services: ['sandbox'],
    });
    const ended = await createCampaign(deps, {
      ...base,
      slug: 'ended',
      artistName: 'Gone',
      title: 'Gone',
      releaseAt: '2030-06-10T00:00',
      timezone: 'UTC',
      timing: 'global',
      services: ['sandbox'],
    });
    await ctx.db.updateTable('campaigns').set({ status: 'archived' }).where('id', '=', ended.id).execute();
  });
  afterAll(() => server.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });

  it('global timing: one instant in UTC, the smart link, a display alarm at the moment, words escaped', async () => {
    const res = await get('/global/reminder.ics?lang=en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    expect(text).toMatch(/\r\nDTSTART:20300610T163000Z\r\n/);
    const { comp, event } = parse(text);
    expect(event.startDate.toUnixTime() * 1000).toBe(Date.parse('2030-06-10T16:30:00Z'));
    expect(event.startDate.zone?.tzid).toBe('UTC');
    expect(event.summary).toBe('Midnight — Nova, Lake; & the \\ Band: out now');
    // Escaped on the wire (RFC 5545 §3.3.11), read back as typed.
    expect(text).toContain('Nova\\, Lake\\; & the \\\\ Band');
    const link = `${server.ctx.config.publicUrl}/global`;
    expect(event.description).toContain(link);
    const vevent = comp.getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('url')).toBe(link);
    expect(event.uid).toMatch(/^dropday-campaign-\d+@/);
    expect(vevent.getFirstPropertyValue('dtstamp')).toBeTruthy();
    const alarm = vevent.getFirstSubcomponent('valarm')!;
    expect(alarm.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(String(alarm.getFirstPropertyValue('trigger'))).toBe('PT0S');
    // The same entry however often it is fetched: the UID is the campaign's.
    const again = parse(await (await get('/global/reminder.ics?tz=Asia/Tokyo')).text());
    expect(again.event.uid).toBe(event.uid);
    expect(again.event.startDate.toUnixTime()).toBe(event.startDate.toUnixTime());
  });

  it('local timing with the fan’s zone: TZID and a VTIMEZONE that gives the right instant, summer and winter, odd offsets', async () => {
    const cases: [string, string][] = [
      ['local', 'America/New_York'], // summer: EDT
      ['winter', 'America/New_York'], // winter: EST
      ['local', 'Asia/Kathmandu'], // +05:45
      ['winter', 'Australia/Lord_Howe'], // +11 in its summer, half-hour DST
      ['local', 'Pacific/Kiritimati'], // +14, first to midnight
      ['local', 'UTC'],
    ];
    for (const [slug, zone] of cases) {
      const text = await (await get(`/${slug}/reminder.ics?tz=${encodeURIComponent(zone)}`)).text();
      expect(text, zone).toContain(`DTSTART;TZID=${zone}:`);
      const { event } = parse(text);
      const wall = slug === 'local' ? '2030-06-10T00:00:00' : '2030-12-05T00:00:00';
      expect(event.startDate.toUnixTime() * 1000, `${slug} ${zone}`).toBe(instantOf(wall, zone));
      expect(event.startDate.toString(), zone).toBe(wall);
    }
  });

  it('local timing without a zone: a floating time, midnight wherever the fan’s calendar is', async () => {
    const text = await (await get('/local/reminder.ics')).text();
    expect(text).toMatch(/\r\nDTSTART:20300610T000000\r\n/);
    expect(text).not.toContain('TZID');
    expect(text).not.toContain('BEGIN:VTIMEZONE');
    const { event } = parse(text);
    expect(event.startDate.toString()).toBe('2030-06-10T00:00:00');
    expect(event.startDate.zone?.tzid).toBe('floating');
  });

  it('lines end in CRLF and fold at 75 octets, never inside a character', async () => {
    const text = await (await get('/winter/reminder.ics?lang=ar')).text();
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).toContain('\r\n ');
    const { event } = parse(text);
    expect(event.summary).toContain('ليلة طويلة جدا في الشتاء');
    expect(event.summary).toContain('متاح الآن');
    // A four-byte character at the boundary stays whole.
    const folded = foldLine(`SUMMARY:${'a'.repeat(66)}🎵🎵🎵`);
    expect(folded.split('\r\n').map((l) => Buffer.byteLength(l))).toEqual([74, 13]);
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'a'.repeat(66)}🎵🎵🎵`);
  });

  it('in the fan’s language: ?lang=, then Accept-Language', async () => {
    const de = parse(await (await get('/local/reminder.ics?lang=de')).text());
    expect(de.event.summary).toBe('Everywhere at Midnight — Store Turn: jetzt erschienen');
    const fr = parse(await (await get('/local/reminder.ics', { 'accept-language': 'fr-CA,fr;q=0.9' })).text());
    expect(fr.event.summary).toBe('Everywhere at Midnight — Store Turn : disponible');
  });

  it('the campaign page links the file and Google Calendar, built on the server and escaped', async () => {
    const page = await (await get('/global?lang=en')).text();
    expect(page).toContain('href="/global/reminder.ics?lang=en"');
    const m = /href="(https:\/\/calendar\.google\.com\/calendar\/render\?[^"]+)"/.exec(page);
    expect(m).not.toBeNull();
    const google = new URL(m![1]!.replace(/&amp;/g, '&'));
    expect(google.searchParams.get('action')).toBe('TEMPLATE');
    expect(google.searchParams.get('text')).toBe('Midnight — Nova, Lake; & the \\ Band: out now');
    expect(google.searchParams.get('dates')).toBe('20300610T163000Z/20300610T173000Z');
    expect(google.searchParams.get('details')).toContain(`${server.ctx.config.publicUrl}/global`);
    expect(google.searchParams.has('ctz')).toBe(false);
    // Local timing: floating times (Google reads them in the fan's calendar zone); the file's
    // link is marked for the page's script to add the browser's zone.
    const local = await (await get('/local?lang=en')).text();
    expect(local).toMatch(/href="\/local\/reminder\.ics\?lang=en"[^>]*data-tz-link/);
    const lg = new URL(/href="(https:\/\/calendar\.google\.com[^"]+)"/.exec(local)![1]!.replace(/&amp;/g, '&'));
    expect(lg.searchParams.get('dates')).toBe('20300610T000000/20300610T010000');
  });

  it('mistakes: an unknown zone is a 400 naming it; an unknown campaign 404; an ended one 410', async () => {
    const bad = await get('/local/reminder.ics?tz=Mars/Olympus_Mons&lang=en');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('“Mars/Olympus_Mons” is not a time zone we know.');
    const xss = await get(`/local/reminder.ics?tz=${encodeURIComponent('<script>')}`);
    expect(xss.status).toBe(400);
    expect(await xss.text()).not.toContain('<script>');
    expect((await get('/nobody/reminder.ics')).status).toBe(404);
    expect((await get('/ended/reminder.ics')).status).toBe(410);
  });
});
