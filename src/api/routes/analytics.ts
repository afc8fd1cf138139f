import { Type } from 'typebox';
import type { EventCounts } from '../../analytics/dashboard.js';
import { funnel, geo } from '../../analytics/queries.js';
import { isValidTimeZone } from '../../campaigns/timing.js';
import type { AppContext } from '../../context.js';
import { DropdayError } from '../../errors.js';
import { referralStandings } from '../../growth/referrals/state.js';
import { seriesWindow } from '../../analytics/series-window.js';
import { apiKeyOf } from '../auth.js';
import { campaignOfKey } from '../campaign-scope.js';
import type { Api } from '../index.js';
import { RangeQuery, rangeOf, SlugParams } from '../reports/params.js';
import { seriesIn } from '../reports/series.js';
import { errors, iso, Timestamp } from '../schemas.js';

/**
 * Analytics summaries: the dashboard's own queries (analytics/queries.ts, growth/referrals/state.ts)
 * with the window asked for, so every number equals the dashboard's for the same window. Read from
 * the rollups: a window is widened to whole hours (funnel, series) or whole UTC days (places), and
 * the answer says which window it counted.
 */
const Nat = Type.Integer({ minimum: 0 });
const Ratio = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]);
const Window = Type.Object({ from: Timestamp, to: Timestamp }, { description: 'The window counted (widened to whole buckets).' });
/** What fans did after the page view: the funnel's per-service columns and each series point's. */
const ActionCounts = { service_clicks: Nat, listen_clicks: Nat, presaves: Nat, saved: Nat, cancellations: Nat };
const Counts = Type.Object({ views: Nat, service_clicks: Nat, listen_clicks: Nat, presaves: Nat, cancellations: Nat });

const counts = (c: EventCounts) => ({
  views: c.views,
  service_clicks: c.serviceClicks,
  listen_clicks: c.listenClicks,
  presaves: c.presaves,
  cancellations: c.cancellations,
});
const windowOf = (r: { from: number; to: number }) => ({ from: iso(r.from), to: iso(Math.min(r.to, 8_640_000_000_000_000)) });
const hasEvents = (c: EventCounts) => Object.values(c).some((n) => n > 0);

export function analyticsRoutes(api: Api, ctx: AppContext): void {
  const read = { config: { scope: 'analytics:read' as const } };

  api.get(
    '/campaigns/:slug/analytics/funnel',
    {
      ...read,
      schema: {
        operationId: 'getFunnel',
        tags: ['analytics'],
        summary: 'Views → pre-saves → verified saves, per service',
        description:
          'Pre-saves are the pre-save records created in the window; `saved` those of them verified in the fan’s library. ' +
          'Visitors and clicks are never fewer than what the pre-saves imply, so no rate exceeds 1.',
        params: SlugParams,
        querystring: Type.Object(RangeQuery, { additionalProperties: false }),
        response: {
          200: Type.Object({
            window: Window,
            views: Nat,
            visits: Nat,
            unique_visitors: Nat,
            visitors: Nat,
            service_clicks: Nat,
            service_clicks_seen: Nat,
            listen_clicks: Nat,
            presaves: Nat,
            fans: Nat,
            saved: Nat,
            cancellations: Nat,
            click_to_save: Ratio,
            visitor_to_presave: Ratio,
            by_service: Type.Array(
              Type.Object({
                service: Type.String(),
                ...ActionCounts,
              }),
            ),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const campaign = await campaignOfKey(ctx, apiKeyOf(req), req.params.slug);
      const f = await funnel(ctx.db, campaign.id, rangeOf(req.query));
      return {
        window: windowOf(f.range),
        views: f.views,
        visits: f.visits,
        unique_visitors: f.uniqueVisitors,
        visitors: f.visitors,
        service_clicks: f.serviceClicks,
        service_clicks_seen: f.serviceClicksSeen,
        listen_clicks: f.listenClicks,
        presaves: f.presaves,
        fans: f.fans,
        saved: f.saved,
        cancellations: f.cancellations,
        click_to_save: f.clickToSave,
        visitor_to_presave: f.visitorToPresave,
        by_service: Object.entries(f.byService).map(([service, s]) => ({
          service,
          service_clicks: s.serviceClicks,
          listen_clicks: s.listenClicks,
          presaves: s.presaves,
          saved: s.saved,
          cancellations: s.cancellations,
        })),
      };
    },
  );

  api.get(
    '/campaigns/:slug/analytics/series',
    {
      ...read,
      schema: {
        operationId: 'getSeries',
        tags: ['analytics'],
        summary: 'Views and pre-saves over time',
        description:
          'Hour or day buckets. Without `from`/`to`, the dashboard chart’s window (from the day the campaign was made to now) and its interval. ' +
          '`tz` makes days that zone’s calendar days (hours are always UTC hours).',
        params: SlugParams,
        querystring: Type.Object(
          {
            ...RangeQuery,
            interval: Type.Optional(Type.Union([Type.Literal('hour'), Type.Literal('day')])),
            tz: Type.Optional(Type.String({ maxLength: 64, default: 'UTC', description: 'An IANA time zone for day buckets.' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            window: Window,
            interval: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
            tz: Type.String(),
            points: Type.Array(
              Type.Object({
                t: Timestamp,
                views: Nat,
                visits: Nat,
                unique_visitors: Nat,
                ...ActionCounts,
              }),
            ),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const tz = q.tz ?? 'UTC';
      if (!isValidTimeZone(tz))
        throw new DropdayError('VALIDATION', `${tz} is not a time zone.`, { 'querystring.tz': 'is not an IANA time zone' });
      const campaign = await campaignOfKey(ctx, apiKeyOf(req), req.params.slug);
      const dflt = seriesWindow(campaign, ctx.now());
      const interval = q.interval ?? dflt.bucket;
      const s = await seriesIn(ctx.db, campaign.id, rangeOf(q, dflt.range), interval, tz);
      return {
        window: windowOf(s.range),
        interval,
        tz,
        points: s.points.map((p) => ({
          t: iso(p.t),
          views: p.views,
          visits: p.visits,
          unique_visitors: p.uniqueVisitors,
          service_clicks: p.serviceClicks,
          listen_clicks: p.listenClicks,
          presaves: p.presaves,
          saved: p.saved,
          cancellations: p.cancellations,
        })),
      };
    },
  );

  api.get(
    '/campaigns/:slug/analytics/geo',
    {
      ...read,
      schema: {
        operationId: 'getGeo',
        tags: ['analytics'],
        summary: 'Views and pre-saves per country, and the top cities',
        description:
          'Places with no events are left out, as on the dashboard; `unknown` counts what could not be placed. ' +
          'The window is widened to whole UTC days.',
        params: SlugParams,
        querystring: Type.Object(RangeQuery, { additionalProperties: false }),
        response: {
          200: Type.Object({
            window: Window,
            countries: Type.Array(Type.Object({ country: Type.String(), counts: Counts })),
            cities: Type.Array(
              Type.Object({
                country: Type.String(),
                region: Type.String(),
                city: Type.String(),
                lat: Type.Union([Type.Number(), Type.Null()]),
                lon: Type.Union([Type.Number(), Type.Null()]),
                counts: Counts,
              }),
            ),
            unknown: Counts,
          }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const campaign = await campaignOfKey(ctx, apiKeyOf(req), req.params.slug);
      // The dashboard's query with its options: cities sorted by pre-saves, the top 15 shown.
      const g = await geo(ctx.db, campaign.id, rangeOf(req.query), { topCities: 25, sortBy: 'presaves' });
      return {
        window: windowOf(g.range),
        countries: g.countries.filter((c) => hasEvents(c.counts)).map((c) => ({ country: c.country, counts: counts(c.counts) })),
        cities: g.cities
          .filter((c) => hasEvents(c.counts))
          .slice(0, 15)
          .map((c) => ({ country: c.country, region: c.region, city: c.city, lat: c.lat, lon: c.lon, counts: counts(c.counts) })),
        unknown: counts(g.unknown),
      };
    },
  );

  api.get(
    '/campaigns/:slug/analytics/referrers',
    {
      ...read,
      schema: {
        operationId: 'getReferralStandings',
        tags: ['analytics'],
        summary: 'The referral standings',
        description:
          'Every referral link of the campaign, ranked: counted (the referred save was verified), pending (waiting for release), ' +
          'held (for the artist’s review) and not counted. The referrer is named only by the display name they chose (null: none).',
        params: SlugParams,
        response: {
          200: Type.Object({
            data: Type.Array(
              Type.Object({
                rank: Type.Integer({ minimum: 1 }),
                code: Type.String({ description: 'The referral link’s code (public: it is in the shared link).' }),
                display_name: Type.Union([Type.String(), Type.Null()]),
                name_hidden: Type.Boolean({ description: 'The artist hid this name from the public leaderboard.' }),
                visits: Nat,
                counted: Nat,
                pending: Nat,
                held: Nat,
                not_counted: Nat,
                created_at: Timestamp,
              }),
            ),
            totals: Type.Object({ counted: Nat, pending: Nat, held: Nat, not_counted: Nat }),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const campaign = await campaignOfKey(ctx, apiKeyOf(req), req.params.slug);
      const standings = await referralStandings(ctx.db, campaign.id);
      const totals = { counted: 0, pending: 0, held: 0, not_counted: 0 };
      const data = standings.map((s) => {
        totals.counted += s.counted;
        totals.pending += s.pending;
        totals.held += s.held;
        totals.not_counted += s.notCounted;
        return {
          rank: s.rank,
          code: s.code,
          display_name: s.displayName,
          name_hidden: s.nameHidden,
          visits: s.visits,
          counted: s.counted,
          pending: s.pending,
          held: s.held,
          not_counted: s.notCounted,
          created_at: iso(Number(s.createdAt)),
        };
      });
      return { data, totals };
    },
  );
}
