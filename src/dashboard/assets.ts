import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DASHBOARD_CLIENT_JS } from '../web/views/dashboard/client.js';

/**
 * The dashboard's browser files, served by Dropday itself (no CDN): uPlot's script from the npm
 * package, and the dashboard's own small script. Each URL carries a hash of the content, so the
 * files are cached for a year and a new version gets a new URL. uPlot's CSS is small and is
 * inlined into the page's nonce'd style block instead (see views/dashboard/style.ts).
 */
export interface DashAsset {
  url: string;
  body: Buffer;
  type: string;
}

export interface DashAssets {
  uplotJs: DashAsset;
  dashboardJs: DashAsset;
  uplotCss: string;
  byFile: Map<string, DashAsset>;
}

let assets: DashAssets | null = null;

function asset(name: string, ext: string, body: Buffer, type: string): DashAsset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { url: `/assets/dash/${name}-${hash}.${ext}`, body, type };
}

/** Reads the files once per process (call at startup; later calls return the same). */
export function dashAssets(): DashAssets {
  if (assets) return assets;
  const require = createRequire(import.meta.url);
  const dist = path.join(path.dirname(require.resolve('uplot/package.json')), 'dist');
  const uplotJs = asset('uplot', 'js', fs.readFileSync(path.join(dist, 'uPlot.iife.min.js')), 'text/javascript; charset=utf-8');
  const dashboardJs = asset('dashboard', 'js', Buffer.from(DASHBOARD_CLIENT_JS, 'utf8'), 'text/javascript; charset=utf-8');
  const uplotCss = fs.readFileSync(path.join(dist, 'uPlot.min.css'), 'utf8');
  const byFile = new Map<string, DashAsset>();
  for (const a of [uplotJs, dashboardJs]) byFile.set(a.url.slice('/assets/dash/'.length), a);
  assets = { uplotJs, dashboardJs, uplotCss, byFile };
  return assets;
}
