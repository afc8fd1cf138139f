import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { testDialects } from './db.js';
import { startTestServer, type TestServer } from './server.js';
import { apiClient, apiKeyFor, apiWorkspace, type ApiClient } from './api.js';

/**
 * Where the black-box suite (test/api-blackbox) sends its requests: a deployed Dropday when
 * DROPDAY_API_URL and DROPDAY_API_KEY are set (once, no dialect loop), else a test server per dialect
 * with a workspace and keys made for it. The tests themselves speak only HTTP through `apiClient`,
 * so they assert what any client of the API sees. docs/api-blackbox.md says how to run it.
 */
export interface ApiTarget {
  name: string;
  /** A key with every campaigns scope. */
  api: ApiClient;
  /** A key of the same workspace with campaigns:read only (null: not given for a deployed target). */
  readOnly: ApiClient | null;
  /** A key of another workspace (null: not given). */
  other: ApiClient | null;
  /** A pre-save service the target offers (the Sandbox unless DROPDAY_API_SERVICE says otherwise). */
  service: string;
  /** Unique per run, so slugs made on a deployed instance never collide with an earlier run's. */
  run: string;
}

const remote = (): boolean => !!(process.env.DROPDAY_API_URL && process.env.DROPDAY_API_KEY);

/** The targets' names, for describe.each. */
export function apiTargetNames(): string[] {
  return remote() ? [`remote ${process.env.DROPDAY_API_URL}`] : testDialects();
}

/**
 * The target named `name`, ready in beforeAll and closed in afterAll. Call inside a describe: the
 * returned function gives the target in each test.
 */
export function useApiTarget(name: string): () => ApiTarget {
  let target: ApiTarget | null = null;
  let server: TestServer | null = null;
  beforeAll(async () => {
    const run = randomBytes(3).toString('hex');
    if (remote()) {
      const url = process.env.DROPDAY_API_URL!.replace(/\/+$/, '');
      const key = (k: string | undefined) => (k ? apiClient(url, k) : null);
      target = {
        name,
        api: apiClient(url, process.env.DROPDAY_API_KEY!),
        readOnly: key(process.env.DROPDAY_API_READ_KEY),
        other: key(process.env.DROPDAY_API_OTHER_KEY),
        service: process.env.DROPDAY_API_SERVICE ?? 'sandbox',
        run,
      };
      return;
    }
    server = await startTestServer(name as ReturnType<typeof testDialects>[number]);
    const { workspaceId } = await apiWorkspace(server.ctx, 'bb-one');
    const { workspaceId: otherId } = await apiWorkspace(server.ctx, 'bb-other');
    target = {
      name,
      api: apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { scopes: ['campaigns:write'] })),
      readOnly: apiClient(server.url, await apiKeyFor(server.ctx, workspaceId, { scopes: ['campaigns:read'] })),
      other: apiClient(server.url, await apiKeyFor(server.ctx, otherId, { scopes: ['campaigns:write'] })),
      service: 'sandbox',
      run,
    };
  });
  afterAll(async () => server?.close());
  return () => {
    if (!target) throw new Error('the API target is not ready (beforeAll failed)');
    return target;
  };
}

/** A release time `days` from now, as a client types it (UTC). */
export function releaseIn(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);
}

/** A valid new campaign's body. */
export function newCampaign(t: ApiTarget, slug: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    slug: `${slug}-${t.run}`,
    title: `Night Drive ${t.run}`,
    artist: 'Blackbox Band',
    release_at: releaseIn(30),
    timezone: 'Europe/Paris',
    upc: '036000291452',
    services: [t.service],
    ...extra,
  };
}
