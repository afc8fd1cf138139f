import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { createContext } from '../bootstrap.js';
import { loadConfig } from '../config.js';

/**
 * `npm run openapi`: writes docs/openapi.json, the OpenAPI document the routes' schemas make, as
 * the app serves it at /api/v1/openapi.json. The app is built on a throw-away SQLite database with
 * default settings, so the document depends on the code only; test/api-openapi.test.ts fails when
 * the committed copy differs.
 */
export const OPENAPI_FILE = 'docs/openapi.json';

/** Stable text: 2-space JSON and a final newline (the order is the routes' own). */
export function formatOpenApi(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function renderOpenApi(app: FastifyInstance): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`GET /api/v1/openapi.json answered ${res.statusCode}`);
  return formatOpenApi(res.json());
}

/** Builds the app on a temporary database, runs `fn` with it, and removes everything after. */
export async function withThrowawayApp<T>(fn: (app: FastifyInstance) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-openapi-'));
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      DATABASE_URL: `sqlite:${path.join(dir, 'openapi.db')}`,
      ENCRYPTION_KEYS: `openapi:${randomBytes(32).toString('base64')}`,
      DEMO: 'false',
    });
    const ctx = await createContext(config);
    const app = await buildApp(ctx);
    try {
      await app.ready();
      return await fn(app);
    } finally {
      await app.close();
      await ctx.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const text = await withThrowawayApp(renderOpenApi);
  fs.writeFileSync(OPENAPI_FILE, text);
  process.stdout.write(`Wrote ${OPENAPI_FILE} (${Object.keys((JSON.parse(text) as { paths: object }).paths).length} paths).\n`);
}
