import type { FastifyInstance } from 'fastify';

export interface RouteInfo {
  method: string;
  /** The pattern, e.g. /w/:workspace/campaigns/:slug/edit */
  url: string;
  params: string[];
}

/**
 * Every route of the app, read from Fastify's own route tree (printRoutes), so a route added
 * later is fuzzed without anyone listing it here. Lines look like `│   ├── /members (GET, HEAD)`:
 * the depth is the column of the segment (4 per level), a path is its ancestors' segments joined.
 */
export function routesOf(app: FastifyInstance): RouteInfo[] {
  const out: RouteInfo[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│├└─]*?)(?:[├└]── )(\S+)(?: \(([A-Z, ]+)\))?\s*$/.exec(line);
    if (!m) continue;
    const depth = [...m[1]!].length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const url = stack.join('').replace(/\/{2,}/g, '/');
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method) out.push({ method, url, params: [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((p) => p[1]!) });
    }
  }
  return out;
}
