import type { FastifyRequest } from 'fastify';
import type { Campaign } from '../../../campaigns/repo.js';
import { canEdit, type Role } from '../../../accounts/roles.js';
import type { Workspace } from '../../../accounts/workspaces.js';
import {
  GEO_ATTRIBUTION_HTML,
  type Breakdown,
  type DeliveryReport,
  type DevicesAnswer,
  type EventCounts,
  type Funnel,
  type GeoAnswer,
  type ReferrerRow,
  type ServiceRow,
  type Timeseries,
  type UtmRow,
} from '../../../analytics/index.js';
import { dashAssets } from '../../../dashboard/assets.js';
import { countryName } from '../../../dashboard/iso.js';
import { worldMapSvg } from '../../../dashboard/world-map.js';
import { describeRelease } from '../../../campaigns/timing.js';
import { explainFailure, VERIFYING } from '../../../analytics/delivery-words.js';
import type { DeliveryPause } from '../../../analytics/delivery.js';
import type { FollowCounts } from '../../../presaves/follows.js';
import { serviceName } from '../../../providers/services.js';
import { csrfField } from '../../csrf.js';
import { html, raw, type SafeHtml } from '../../html.js';
import { duration, num, pct, ratio, statValues, utcTime } from './format.js';
import { dashStyle } from './style.js';
import { inAppPanel } from './inapp-panel.js';
import type { InAppReport } from '../../../analytics/inapp.js';
import { reachPanel, type ReachPanelData } from './reach-panel.js';

export type MapMetric = 'presaves' | 'views';

export interface CampaignDashboardData {
  workspace: Workspace;
  role: Role;
  operator: boolean;
  campaign: Campaign;
  now: number;
  funnel: Funnel;
  series: Timeseries;
  services: ServiceRow[];
  geo: GeoAnswer;
  referrers: Breakdown<ReferrerRow>;
  utm: Breakdown<UtmRow>;
  devices: DevicesAnswer;
  /** The "In-app browsers" panel (views/dashboard/inapp-panel.ts). */
  inapp?: InAppReport;
  /** The "Fans you can reach" panel (views/dashboard/reach-panel.ts). */
  reach?: ReachPanelData;
  /** Referrals, contest, vault and early access panels (web/growth/artist.ts). */
  growth?: SafeHtml | '';
  delivery: DeliveryReport;
  mapMetric: MapMetric;
  /** The message left by the last action (POST-redirect-GET), as set by the route. */
  flash?: string[] | null;
}

export function campaignBase(workspaceSlug: string, campaignSlug: string): string {
  return `/w/${workspaceSlug}/campaigns/${campaignSlug}`;
}

/** JSON inside a <script type="application/json">: nothing in it can close the element. */
export function jsonForScript(value: unknown): SafeHtml {
  return raw(
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}

export function empty(text: string): SafeHtml {
  return html`<p class="empty">${text}</p>`;
}

/**
 * A table with one header cell per column: the `text` columns first, then the numeric ones
 * (right-aligned). `rows` are the rendered <tr> elements; the headers are escaped like any value.
 */
export function table(id: string, text: string[], numeric: string[], rows: SafeHtml[]): SafeHtml {
  // Scrolls sideways inside its panel on a narrow phone instead of widening the page.
  return html`<div class="scroll"><table id="${id}">
    <thead>
      <tr>
        ${text.map((h) => html`<th>${h}</th>`)}${numeric.map((h) => html`<th class="n">${h}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table></div>`;
}

function hasEvents(c: EventCounts): boolean {
  return c.views + c.serviceClicks + c.listenClicks + c.presaves + c.cancellations > 0;
}

/** The one zone the chart is drawn in: its labels, axis, tooltip and release line. */
export const CHART_ZONE = 'UTC';

/**
 * The series for uPlot: seconds on x, one array per line; buckets after `now` are null (not
 * zero). Each bucket is drawn at its end (the hour 09:00–10:00 at 10:00), so what happened in the
 * hour of the release is never drawn before the release line; the tooltip names the whole bucket.
 */
export function chartData(series: Timeseries, now: number, releaseAt: number) {
  const unit = series.bucket === 'hour' ? 3_600_000 : 86_400_000;
  const t: number[] = [];
  const views: (number | null)[] = [];
  const clicks: (number | null)[] = [];
  const presaves: (number | null)[] = [];
  const saved: (number | null)[] = [];
  for (const p of series.points) {
    t.push((p.t + unit) / 1000);
    const future = p.t > now;
    views.push(future ? null : p.views);
    clicks.push(future ? null : p.serviceClicks);
    presaves.push(future ? null : p.presaves);
    saved.push(future ? null : p.saved);
  }
  return { bucket: series.bucket, unit: unit / 1000, zone: CHART_ZONE, t, views, clicks, presaves, saved, release: releaseAt / 1000 };
}

function releaseLine(c: Campaign, now: number): string {
  const at = c.first_release_at;
  const when = describeRelease(c);
  if (now < at) return `Releases ${when} — in ${duration(at - now)}`;
  if (now < c.last_release_at) return `Releasing ${when} — out in the first time zones`;
  return `Released ${when}`;
}

function funnelSection(v: Record<string, string>, f: Funnel): SafeHtml {
  return html`<section class="panel" id="funnel" aria-labelledby="funnel-h">
    <h2 id="funnel-h">Funnel</h2>
    <div class="funnel">
      <div class="stage" data-stage="views">
        <div class="n" data-stat="funnel.views">${v['funnel.views']}</div>
        <div class="label">page views</div>
        <span class="step">${f.views ? html`<span data-stat="funnel.uniqueVisitors">${v['funnel.uniqueVisitors']}</span> unique visitors` : 'no visits yet'}</span>
      </div>
      <div class="stage" data-stage="clicks">
        <div class="n" data-stat="funnel.serviceClicks">${v['funnel.serviceClicks']}</div>
        <div class="label">pre-save clicks</div>
        <span class="step">from <span data-stat="funnel.visitors">${v['funnel.visitors']}</span> visitors</span>
      </div>
      <div class="stage" data-stage="presaves">
        <div class="n" data-stat="funnel.presaves">${v['funnel.presaves']}</div>
        <div class="label">pre-saves</div>
        <span class="step"><span data-stat="funnel.clickToSave">${v['funnel.clickToSave']}</span> click-to-save</span>
      </div>
      <div class="stage" data-stage="saved">
        <div class="n" data-stat="funnel.saved">${v['funnel.saved']}</div>
        <div class="label">saved to libraries</div>
        <span class="step"><span data-stat="funnel.savedRate">${v['funnel.savedRate']}</span> of pre-saves</span>
      </div>
    </div>
    <p class="kpis">
      <span>Visits <strong data-stat="funnel.visits">${v['funnel.visits']}</strong></span>
      <span>Visitors who pre-saved <strong data-stat="funnel.visitorToPresave">${v['funnel.visitorToPresave']}</strong></span>
      <span>Listen clicks <strong data-stat="funnel.listenClicks">${v['funnel.listenClicks']}</strong></span>
      <span>Cancelled <strong data-stat="funnel.cancellations">${v['funnel.cancellations']}</strong></span>
      <span class="muted">Updated <span data-stat="updated">${v.updated}</span></span>
    </p>
    ${
      f.serviceClicks > f.serviceClicksSeen
        ? html`<p class="muted">${num(f.serviceClicks - f.serviceClicksSeen)} of the pre-save clicks were not seen by analytics; each pre-save implies one.</p>`
        : ''
    }
    ${figureHelp()}
  </section>`;
}

/** What each figure means, shown under the funnel and the overview (also in docs/dashboard.md). */
export function figureHelp(): SafeHtml {
  return html`<details class="help">
    <summary>How these numbers are counted</summary>
    <dl>
      <dt>Page views, visitors</dt>
      <dd>From the page's own analytics, without bots and link previews. A visitor is counted once per day.</dd>
      <dt>Pre-saves</dt>
      <dd>Fans' pre-save records, one per fan and service, whatever became of them (saved, failed, waiting, cancelled).</dd>
      <dt>Pre-save clicks</dt>
      <dd>Clicks on a service button. A pre-save implies a click, so each service counts at least as many clicks as pre-saves.</dd>
      <dt>Click-to-save</dt>
      <dd>Pre-saves ÷ pre-save clicks.</dd>
      <dt>Visitors who pre-saved (conversion)</dt>
      <dd>
        Fans who pre-saved ÷ visitors. Fans are not linked across services, so fans who pre-saved are counted as at least the
        pre-saves of the busiest service; a pre-save implies a visit, so visitors are never fewer than that.
      </dd>
      <dt>Saved to libraries</dt>
      <dd>Pre-saves the service confirmed in the fan's library ÷ pre-saves. Failed ones are never counted as saved.</dd>
      <dt>In the tables by place, source and device</dt>
      <dd>
        Pre-saves there are the authorizations analytics saw from that place, source or device. A fan is on the campaign page before
        each pre-save, so page views there are never fewer than pre-saves.
      </dd>
    </dl>
  </details>`;
}

function chartSection(d: CampaignDashboardData): SafeHtml {
  const any = d.series.points.some((p) => p.views + p.serviceClicks + p.presaves + p.saved > 0);
  return html`<section class="panel" aria-labelledby="chart-h">
    <h2 id="chart-h">Over time <span class="tag">${d.series.bucket === 'hour' ? 'hourly' : 'daily'}, ${CHART_ZONE}</span></h2>
    ${
      any
        ? html`<div id="chart" role="img" aria-label="Page views, clicks, pre-saves and saves over time"></div>
            <p class="muted">
              Times are ${CHART_ZONE}; each point counts the ${d.series.bucket} that ends there. The dashed line is the release
              (${describeRelease(d.campaign)}${d.campaign.timing === 'local' ? html`; first time zone at ${utcTime(d.campaign.first_release_at)}` : html`, ${utcTime(d.campaign.first_release_at)}`}).
            </p>`
        : empty('No activity yet. The chart starts when the campaign page gets its first visit.')
    }
  </section>`;
}

function servicesSection(rows: ServiceRow[]): SafeHtml {
  return html`<section class="panel" aria-labelledby="svc-h">
    <h2 id="svc-h">By service</h2>
    ${
      rows.length
        ? table(
            'services',
            ['Service'],
            ['Clicks', 'Pre-saves', 'Click-to-save', 'Saved', 'Failed', 'Pending', 'Cancelled', 'Listen clicks'],
            rows.map(
              (r) => html`<tr data-service="${r.service}">
                <td>${serviceName(r.service)}</td>
                <td class="n">${num(r.serviceClicks)}</td>
                <td class="n">${num(r.presaves)}</td>
                <td class="n">${pct(r.clickToSave)}</td>
                <td class="n">${num(r.saved)}</td>
                <td class="n">${num(r.failed)}</td>
                <td class="n">${num(r.pending)}</td>
                <td class="n">${num(r.cancelled)}</td>
                <td class="n">${num(r.listenClicks)}</td>
              </tr>`,
            ),
          )
        : empty('No clicks or pre-saves yet.')
    }
  </section>`;
}

function mapSection(d: CampaignDashboardData, base: string): SafeHtml {
  const g = d.geo;
  const metric = d.mapMetric;
  const unit = metric === 'presaves' ? 'pre-saves' : 'page views';
  const other = metric === 'presaves' ? 'views' : 'presaves';
  const svg = worldMapSvg({
    title: `Where the ${unit} come from`,
    unit,
    countries: g.countries.map((c) => ({
      country: c.country,
      value: c.counts[metric],
      detail: `${num(c.counts[other])} ${metric === 'presaves' ? 'page views' : 'pre-saves'}`,
    })),
    cities: g.cities.map((c) => ({ label: `${c.city}, ${c.country}`, lat: c.lat, lon: c.lon, value: c.counts[metric] })),
  });
  const cities = g.cities.filter((c) => hasEvents(c.counts)).slice(0, 15);
  const countries = g.countries.filter((c) => hasEvents(c.counts)).slice(0, 15);
  const anyPlace = countries.length > 0;
  return html`<section class="panel" id="places" aria-labelledby="map-h">
    <h2 id="map-h">Where fans are</h2>
    <p class="toggle">
      Colour by:
      ${metric === 'presaves' ? html`<strong>pre-saves</strong>` : html`<a href="${base}#places">pre-saves</a>`}
      ${metric === 'views' ? html`<strong>page views</strong>` : html`<a href="${base}?map=views#places">page views</a>`}
    </p>
    ${svg}
    ${
      anyPlace
        ? ''
        : empty(
            hasEvents(g.unknown)
              ? 'No located visits yet (visits from private or unknown addresses are counted, but not placed).'
              : 'No visits yet: countries fill in as fans arrive.',
          )
    }
    <div class="grid2">
      <div>
        <h3>Top countries</h3>
        ${
          anyPlace
            ? table(
                'countries',
                ['Country'],
                ['Views', 'Pre-saves'],
                countries.map(
                  (c) => html`<tr data-country="${c.country}">
                    <td>${countryName(c.country)}</td>
                    <td class="n">${num(c.counts.views)}</td>
                    <td class="n">${num(c.counts.presaves)}</td>
                  </tr>`,
                ),
              )
            : empty('No countries yet.')
        }
      </div>
      <div>
        <h3>Top cities</h3>
        ${
          cities.length
            ? table(
                'cities',
                ['City'],
                ['Views', 'Pre-saves'],
                cities.map(
                  (c) => html`<tr data-city="${c.city}">
                    <td>${c.city}${c.region && c.region !== c.city ? html`, <span class="muted">${c.region}</span>` : ''} · ${countryName(c.country)}</td>
                    <td class="n">${num(c.counts.views)}</td>
                    <td class="n">${num(c.counts.presaves)}</td>
                  </tr>`,
                ),
              )
            : empty('No cities yet.')
        }
      </div>
    </div>
    <p class="attribution">
      ${hasEvents(g.unknown) ? html`Unplaced: ${num(g.unknown.views)} views, ${num(g.unknown.presaves)} pre-saves. ` : ''}Places from
      ${raw(GEO_ATTRIBUTION_HTML)} (CC BY 4.0) or your CDN. Map: Natural Earth.
    </p>
  </section>`;
}

function referrerSection(r: Breakdown<ReferrerRow>): SafeHtml {
  const listed = r.rows.filter((x) => hasEvents(x.counts));
  const rows = listed.map(
    (x) => html`<tr data-referrer="${x.referrer}">
      <td>${x.referrer || html`<span class="muted">direct / none</span>`}</td>
      <td class="n">${num(x.counts.views)}</td>
      <td class="n">${num(x.counts.presaves)}</td>
    </tr>`,
  );
  if (hasEvents(r.other)) {
    rows.push(
      html`<tr><td class="muted">other</td><td class="n">${num(r.other.views)}</td><td class="n">${num(r.other.presaves)}</td></tr>`,
    );
  }
  return html`<section class="panel" aria-labelledby="ref-h">
    <h2 id="ref-h">Referrers</h2>
    ${listed.length ? table('referrers', ['Source'], ['Views', 'Pre-saves'], rows) : empty('No visits yet.')}
  </section>`;
}

function utmSection(r: Breakdown<UtmRow>): SafeHtml {
  const rows = r.rows.filter((x) => hasEvents(x.counts) && (x.source || x.medium || x.campaign));
  return html`<section class="panel" aria-labelledby="utm-h">
    <h2 id="utm-h">UTM campaigns</h2>
    ${
      rows.length
        ? table(
            'utm',
            ['Source / medium', 'Campaign'],
            ['Views', 'Pre-saves'],
            rows.map(
              (x) => html`<tr>
                <td>${x.source || '—'} / ${x.medium || '—'}</td>
                <td>${x.campaign || '—'}</td>
                <td class="n">${num(x.counts.views)}</td>
                <td class="n">${num(x.counts.presaves)}</td>
              </tr>`,
            ),
          )
        : empty('No visits with UTM parameters yet. Add ?utm_source=…&utm_campaign=… to the links you share.')
    }
  </section>`;
}

function devicesSection(r: DevicesAnswer): SafeHtml {
  const rows = r.rows.filter((x) => x.device !== 'unknown' && hasEvents(x.counts));
  const total = rows.reduce((s, x) => s + x.counts.views, 0);
  return html`<section class="panel" aria-labelledby="dev-h">
    <h2 id="dev-h">Devices</h2>
    ${
      rows.length
        ? table(
            'devices',
            ['Device'],
            ['Views', 'Share', 'Pre-saves'],
            rows.map(
              (x) => html`<tr data-device="${x.device}">
                <td>${x.device}</td>
                <td class="n">${num(x.counts.views)}</td>
                <td class="n">${pct(ratio(x.counts.views, total))}</td>
                <td class="n">${num(x.counts.presaves)}</td>
              </tr>`,
            ),
          )
        : empty('No visits yet.')
    }
    <p class="muted">Bots and link previews, not counted above: ${num(r.bots)}</p>
  </section>`;
}

function reasons(list: Record<string, number>): SafeHtml | '' {
  const entries = Object.entries(list).sort((a, b) => b[1] - a[1]);
  return entries.length ? html`<ul class="reasons">${entries.map(([k, n]) => html`<li>${k}: ${num(n)}</li>`)}</ul>` : '';
}

/** Each failure reason in plain words, what to do next, and the service's own text in a details line. */
function failureList(list: Record<string, number>): SafeHtml {
  const entries = Object.entries(list).sort((a, b) => b[1] - a[1]);
  return html`<ul class="reasons failures">
    ${entries.map(([raw, n]) => {
      const e = explainFailure(raw);
      return html`<li data-failure="${e.kind}">
        <strong>${num(n)} × ${e.what}</strong><br />${e.next}
        <details>
          <summary>Details</summary>
          <code>${raw}</code>
        </details>
      </li>`;
    })}
  </ul>`;
}

function mayAct(d: CampaignDashboardData): boolean {
  return canEdit(d.role) && !d.operator;
}

/** Retry and Resume: editors, on a campaign that is not archived. */
function mayDeliver(d: CampaignDashboardData): boolean {
  return mayAct(d) && d.campaign.status !== 'archived';
}

function retryForm(req: FastifyRequest, d: CampaignDashboardData, base: string): SafeHtml {
  if (d.delivery.failed === 0 && d.delivery.follows.failed === 0) return html``;
  if (d.campaign.status === 'archived') return html`<p class="muted">This campaign is archived: restore it to retry failed pre-saves.</p>`;
  if (!mayDeliver(d)) return html`<p class="muted">Editors of this workspace can retry failed pre-saves.</p>`;
  return html`<form method="post" action="${base}/retry" class="inline-action">
    ${csrfField(req)}<button class="btn small" type="submit">Retry failed pre-saves</button>
    <span class="muted">Fans whose permission ended are left alone: they have to pre-save again.</span>
  </form>`;
}

function deliverySection(req: FastifyRequest, d: CampaignDashboardData, v: Record<string, string>, base: string): SafeHtml {
  const r = d.delivery;
  const released = d.now >= d.campaign.first_release_at;
  if (!released) {
    return html`<section class="panel" id="delivery" aria-labelledby="del-h">
      <h2 id="del-h">Delivery</h2>
      ${empty(
        `Saves start at release (${describeRelease(d.campaign)}). ${num(r.total - r.cancelled)} pre-save${r.total - r.cancelled === 1 ? '' : 's'} waiting.`,
      )}
    </section>`;
  }
  const services = Object.entries(r.byService);
  return html`<section class="panel" id="delivery" aria-labelledby="del-h">
    <h2 id="del-h">Delivery report</h2>
    ${
      r.total === 0
        ? empty('Nobody pre-saved this release, so there is nothing to deliver.')
        : html`<p class="delivery-state" data-state="${r.state}" data-outcome="${r.outcome ?? ''}">
              <strong data-stat="delivery.state">${v['delivery.state']}</strong>
            </p>
            <label for="delivery-progress"
              >Saved to libraries: <span data-stat="delivery.progress">${v['delivery.progress']}</span> (<span data-stat="delivery.saved"
                >${v['delivery.saved']}</span
              >
              of <span data-stat="delivery.of">${v['delivery.of']}</span> due)</label
            >
            <progress id="delivery-progress" max="1" value="${r.progress.fraction ?? 0}">${v['delivery.progress']}</progress>
            <p class="kpis">
              <span>Saved <strong data-stat="delivery.saved">${v['delivery.saved']}</strong></span>
              <span>Failed <strong data-stat="delivery.failed">${v['delivery.failed']}</strong></span>
              <span>Due <strong data-stat="delivery.due">${v['delivery.due']}</strong></span>
              <span title="The service accepted these saves; each counts as saved once Dropday has checked the fan's library"
                >Of which ${VERIFYING} <strong data-stat="delivery.verifying">${v['delivery.verifying']}</strong></span
              >
              <span>Scheduled <strong data-stat="delivery.scheduled">${v['delivery.scheduled']}</strong></span>
              <span>Cancelled <strong data-stat="delivery.cancelled">${v['delivery.cancelled']}</strong></span>
              <span>Rate <strong data-stat="delivery.rate">${v['delivery.rate']}</strong></span>
              <span>ETA <strong data-stat="delivery.eta">${v['delivery.eta']}</strong></span>
            </p>
            ${table(
              'delivery-services',
              ['Service'],
              ['Saved', 'Failed', 'Due', 'Scheduled', 'Cancelled', 'Rate', 'ETA'],
              services.map(
                ([s]) => html`<tr data-service="${s}">
                    <td>${serviceName(s)}</td>
                    ${(['saved', 'failed', 'due', 'scheduled', 'cancelled', 'rate', 'eta'] as const).map(
                      (k) => html`<td class="n" data-stat="delivery.${s}.${k}">${v[`delivery.${s}.${k}`]}</td>`,
                    )}
                  </tr>`,
              ),
            )}
            ${Object.keys(r.failureReasons).length ? html`<h3>Why pre-saves failed</h3>${failureList(r.failureReasons)}` : ''}
            ${followsBlock(r.follows)} ${retryForm(req, d, base)}
            ${Object.keys(r.cancelReasons).length ? html`<h3>Cancelled, by reason</h3>${reasons(r.cancelReasons)}` : ''}
            ${r.nextDueAt !== null ? html`<p class="muted">Next scheduled saves: ${utcTime(r.nextDueAt)}.</p>` : ''}`
    }
    <p><a href="${base}/delivery.csv" download>Download the delivery report (CSV)</a></p>
  </section>`;
}

/**
 * Following the artist is its own outcome: a saved album whose follow failed is still saved.
 * What became of the follows, and why some wait or failed.
 */
function followsBlock(f: FollowCounts): SafeHtml {
  if (f.done + f.queued + f.waiting + f.failed === 0) return html``;
  return html`<h3>Follows of the artist</h3>
    <p class="kpis" data-follows>
      <span>Followed <strong data-stat="follows.done">${num(f.done)}</strong></span>
      <span>To retry <strong data-stat="follows.queued">${num(f.queued)}</strong></span>
      <span>Waiting for a fix <strong data-stat="follows.waiting">${num(f.waiting)}</strong></span>
      <span>Failed <strong data-stat="follows.failed">${num(f.failed)}</strong></span>
    </p>
    ${
      f.reasons.length
        ? html`<ul class="reasons">
            ${f.reasons.map(
              (r) =>
                html`<li>${num(r.count)} ${r.status === 'failed' ? 'failed' : 'waiting'} on ${serviceName(r.service)}: <code>${r.reason}</code></li>`,
            )}
          </ul>`
        : ''
    }`;
}

/** One banner per service the campaign is held back on: what happened, what to fix, and Resume. */
function pauseBanner(req: FastifyRequest, d: CampaignDashboardData, base: string, p: DeliveryPause): SafeHtml {
  const name = serviceName(p.service);
  const kept = !p.pending
    ? ''
    : p.followsOnly
      ? html`<p>
          Every fan's album is still saved. ${num(p.pending)} follow${p.pending === 1 ? ' waits' : 's wait'} for the fix and
          ${p.pending === 1 ? 'is' : 'are'} delivered when you resume.
        </p>`
      : html`<p>${num(p.pending)} pre-save${p.pending === 1 ? ' is' : 's are'} kept and will be delivered after you resume.</p>`;
  if (p.kind !== 'campaign') {
    return html`<section class="panel banner" role="status" data-pause="${p.service}" data-kind="${p.kind}">
      <h2>Saves to ${name} are waiting</h2>
      <p>${p.message}</p>
      ${p.detail ? html`<p class="muted detail">Details: <code>${p.detail}</code></p>` : ''}
    </section>`;
  }
  return html`<section class="panel banner alert" role="alert" data-pause="${p.service}" data-kind="campaign">
    <h2>Saves to ${name} are paused: fix the campaign, then resume</h2>
    <p>${p.message}</p>
    ${p.detail ? html`<p class="muted detail">What ${name} answered: <code>${p.detail}</code></p>` : ''} ${kept}
    ${
      mayDeliver(d)
        ? html`<div class="banner-actions">
            <a class="btn small" href="${base}/edit">Fix it in the editor</a>
            <form method="post" action="${base}/resume">
              ${csrfField(req)}<input type="hidden" name="service" value="${p.service}" /><button class="btn small" type="submit">
                Resume ${name}
              </button>
            </form>
          </div>`
        : html`<p class="muted">An editor of this workspace can fix the campaign and resume the saves.</p>`
    }
  </section>`;
}

/** The message the last action left (see routes/dashboard.ts), in words. */
export function flashText(parts: string[] | null | undefined): string | null {
  if (!parts) return null;
  const [key, a = '0', b = '0', ...rest] = parts;
  const x = Number(a);
  const y = Number(b);
  if (key === 'retried') {
    const left = y > 0 ? ` ${num(y)} left as failed: those fans' permission ended, so they have to pre-save again.` : '';
    if (x === 0) return `Nothing was retried.${left}`;
    return `${num(x)} failed pre-save${x === 1 ? ' is' : 's are'} back in the queue and will be delivered in the next minutes.${left}`;
  }
  if (key === 'resumed') {
    // ['resumed', pre-saves due again, follows queued again, ...services]
    const names = rest.filter(Boolean).map(serviceName).join(', ');
    const what = [
      x || !y ? `${num(x)} pre-save${x === 1 ? ' is' : 's are'} being delivered now` : '',
      y ? `${num(y)} follow${y === 1 ? ' is' : 's are'} being delivered now` : '',
    ].filter(Boolean);
    return `Saves to ${names} resumed: ${what.join('; ')}.`;
  }
  if (key === 'not_paused') return 'This campaign was not paused; nothing to resume.';
  return null;
}

/** The campaign dashboard (viewer+). Server-rendered; the script only draws the chart and refreshes numbers. */
export function campaignDashboardPage(req: FastifyRequest, d: CampaignDashboardData): SafeHtml {
  const c = d.campaign;
  const ws = d.workspace;
  const base = campaignBase(ws.slug, c.slug);
  const v = statValues(d.funnel, d.delivery, d.now);
  const assets = dashAssets();
  const released = d.now >= c.first_release_at;
  const live = released && d.delivery.live.active;
  const chart = d.series.points.some((p) => p.views + p.serviceClicks + p.presaves + p.saved > 0);
  const data = {
    statsUrl: `${base}/stats.json`,
    live,
    chart: chart ? chartData(d.series, d.now, c.first_release_at) : null,
  };
  const flash = flashText(d.flash);
  return html`${dashStyle(req.cspNonce)}
    <p class="crumbs"><a href="/w/${ws.slug}">${ws.name}</a> / ${c.title}</p>
    ${flash ? html`<p class="notice flash" role="status">${flash}</p>` : ''} ${d.delivery.pauses.map((p) => pauseBanner(req, d, base, p))}
    <section class="panel">
      <div class="dash-head">
        <div>
          <h1>${c.title}</h1>
          <p class="muted">
            ${c.artist_name} · ${c.release_type}${c.status === 'archived' ? html` · <span class="tag">archived</span>` : ''}<br />${releaseLine(c, d.now)}
          </p>
        </div>
        <nav class="actions" aria-label="Campaign">
          <a href="/${c.slug}">Public page</a>
          ${mayAct(d) ? html`<a href="${base}/edit">Edit</a>` : ''}
          <a href="${base}/growth">Growth</a>
          <a href="${base}/fans.csv" download>Export fans (CSV)</a>
          <a href="${base}/delivery.csv" download>Export delivery (CSV)</a>
          ${c.status === 'archived' ? '' : html`<a href="/${c.slug}/card/social.png" download="${c.slug}-social-proof.png" data-proof-card>Social-proof card (PNG)</a>`}
        </nav>
      </div>
    </section>
    ${funnelSection(v, d.funnel)} ${chartSection(d)} ${released ? deliverySection(req, d, v, base) : ''} ${servicesSection(d.services)}
    ${mapSection(d, base)}
    <div class="grid2">${referrerSection(d.referrers)} ${utmSection(d.utm)}</div>
    <div class="grid2">${devicesSection(d.devices)} ${released ? '' : deliverySection(req, d, v, base)}</div>
    ${d.inapp ? inAppPanel(d.inapp) : ''} ${d.reach ? reachPanel(d.reach) : ''} ${d.growth ?? ''}
    <script type="application/json" id="dash-data">
      ${jsonForScript(data)}
    </script>
    ${chart ? html`<script nonce="${req.cspNonce}" src="${assets.uplotJs.url}"></script>` : ''}
    <script nonce="${req.cspNonce}" src="${assets.dashboardJs.url}"></script>`;
}
