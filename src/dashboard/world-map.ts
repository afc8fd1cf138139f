import fs from 'node:fs';
import { createRequire } from 'node:module';
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { html, raw, type SafeHtml } from '../web/html.js';
import { alpha2FromNumeric, countryName } from './iso.js';

/**
 * The world heat map, rendered on the server as SVG: no script, nothing for the CSP to allow, and
 * it works without JavaScript. Country shapes come from world-atlas (Natural Earth 1:110m, public
 * domain) projected once per process with d3-geo's Natural Earth projection; each request only
 * chooses the fills and the city circles.
 */

export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 470;

export interface CountryShape {
  /** ISO alpha-2, or null for areas without a code (N. Cyprus, Somaliland). */
  code: string | null;
  name: string;
  d: string;
}

interface Projected {
  shapes: CountryShape[];
  project(lon: number, lat: number): [number, number] | null;
}

// Areas world-atlas gives no numeric id; Kosovo is XK in DB-IP and at CDNs.
const BY_NAME: Record<string, string> = { Kosovo: 'XK' };

let projected: Projected | null = null;

function load(): Projected {
  if (projected) return projected;
  const require = createRequire(import.meta.url);
  const file = require.resolve('world-atlas/countries-110m.json');
  const world = JSON.parse(fs.readFileSync(file, 'utf8')) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(world, world.objects.countries) as FeatureCollection<Geometry, { name: string }>;
  // Antarctica takes a fifth of the map and has no audience.
  const features = fc.features.filter((f) => f.id !== '010');
  const projection = geoNaturalEarth1().fitExtent(
    [
      [4, 4],
      [MAP_WIDTH - 4, MAP_HEIGHT - 4],
    ],
    { type: 'FeatureCollection', features } as FeatureCollection,
  );
  const path = geoPath(projection).digits(1);
  const shapes = features
    .map((f: Feature<Geometry, { name: string }>) => {
      const code = f.id !== undefined ? alpha2FromNumeric(String(f.id)) : (BY_NAME[f.properties.name] ?? null);
      return { code, name: code ? countryName(code) : f.properties.name, d: path(f) ?? '' };
    })
    .filter((s) => s.d !== '');
  projected = {
    shapes,
    project(lon, lat) {
      const p = projection([lon, lat]);
      return p ? [Math.round(p[0] * 10) / 10, Math.round(p[1] * 10) / 10] : null;
    },
  };
  return projected;
}

/** The projected country shapes in a MAP_WIDTH × MAP_HEIGHT box, for other renderings (the social-proof card). */
export function countryShapes(): readonly CountryShape[] {
  return load().shapes;
}

/** Loads and projects the shapes now (at startup) rather than on the first dashboard request. */
export function preloadWorldMap(): void {
  load();
}

/** Fill for a country without data, and the heat scale from few to many (on a dark background). */
export const NO_DATA_FILL = '#2a2a35';
export const HEAT_SCALE = ['#3b2a6b', '#4c2f8f', '#6d28d9', '#8b5cf6', '#a78bfa', '#c4b5fd', '#ede9fe'] as const;

/** The heat colour of `n` when the busiest country has `max` (logarithmic: audiences are long-tailed). */
export function heatColor(n: number, max: number): string {
  if (!(n > 0) || !(max > 0)) return NO_DATA_FILL;
  const f = Math.log1p(n) / Math.log1p(max);
  const i = Math.min(HEAT_SCALE.length - 1, Math.max(0, Math.ceil(f * HEAT_SCALE.length) - 1));
  return HEAT_SCALE[i]!;
}

export interface MapCountry {
  country: string;
  value: number;
  /** Extra text for the tooltip (e.g. "12 page views"). */
  detail?: string;
}

export interface MapCity {
  label: string;
  lat: number | null;
  lon: number | null;
  value: number;
}

export interface WorldMapOptions {
  countries: MapCountry[];
  cities: MapCity[];
  /** What `value` counts, for tooltips and the legend: "pre-saves". */
  unit: string;
  title: string;
}

function plural(n: number, unit: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? unit.replace(/s$/, '') : unit}`;
}

/** The SVG: one path per country (data-country, fill by value), circles for the cities, a legend. */
export function worldMapSvg(o: WorldMapOptions): SafeHtml {
  const { shapes, project } = load();
  const values = new Map<string, MapCountry>();
  for (const c of o.countries) if (c.value > 0) values.set(c.country, c);
  const max = Math.max(0, ...[...values.values()].map((c) => c.value));
  const paths = shapes.map((s) => {
    const c = s.code ? values.get(s.code) : undefined;
    const n = c?.value ?? 0;
    const tip = `${s.name}: ${plural(n, o.unit)}${c?.detail ? ` · ${c.detail}` : ''}`;
    return html`<path d="${raw(s.d)}" fill="${heatColor(n, max)}" ${s.code ? html`data-country="${s.code}"` : ''} data-value="${n}"><title>${tip}</title></path>`;
  });
  const cityMax = Math.max(0, ...o.cities.map((c) => c.value));
  const circles = o.cities
    .filter((c) => c.value > 0 && c.lat !== null && c.lon !== null)
    .map((c) => {
      const p = project(c.lon!, c.lat!);
      if (!p) return '';
      const r = Math.round((2.5 + 9 * Math.sqrt(c.value / cityMax)) * 10) / 10;
      return html`<circle class="city" cx="${p[0]}" cy="${p[1]}" r="${r}" data-city="${c.label}"><title>${c.label}: ${plural(c.value, o.unit)}</title></circle>`;
    });
  const legendSteps = HEAT_SCALE.map(
    (color, i) => html`<rect x="${16 + i * 22}" y="${MAP_HEIGHT - 26}" width="22" height="10" fill="${color}" />`,
  );
  const legend = html`<g class="legend" aria-hidden="true">
    <text x="16" y="${MAP_HEIGHT - 32}">${max > 0 ? `1 – ${max.toLocaleString('en')} ${o.unit}` : `no ${o.unit} yet`}</text>
    ${legendSteps}
  </g>`;
  return html`<svg class="world-map" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" role="img" aria-label="${o.title}" xmlns="http://www.w3.org/2000/svg">
    <title>${o.title}</title>
    <rect class="sea" x="0" y="0" width="${MAP_WIDTH}" height="${MAP_HEIGHT}" />
    <g class="countries">${paths}</g>
    <g class="cities">${circles}</g>
    ${legend}
  </svg>`;
}
