import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { AnalyticsOptions } from '../../src/analytics/index.js';
import { buildApp } from '../../src/app.js';
import { createContext } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import type { Dialect } from '../../src/db/index.js';
import { FulfillmentWorker } from '../../src/fulfillment/worker.js';
import type { PageCacheOptions } from '../../src/web/page-cache.js';
import type { PressureSignal } from '../../src/web/overload/index.js';
import { createTestDb, type TestDb } from './db.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface TestServer {
  ctx: AppContext;
  app: FastifyInstance;
  url: string;
  testDb: TestDb;
  worker: FulfillmentWorker;
  close(): Promise<void>;
}

/**
 * A real Dropday listening on a loopback port, with the Sandbox served by it, so every call
 * between Dropday and the Sandbox is real HTTP. The worker is created but not started.
 */
export async function startTestServer(
  dialect: Dialect,
  env: Record<string, string> = {},
  now?: () => number,
  opts: { log?: AppContext['log']; analytics?: AnalyticsOptions; pageCache?: PageCacheOptions; pressure?: PressureSignal } = {},
): Promise<TestServer> {
  const port = await freePort();
  const testDb = await createTestDb(dialect, { PORT: String(port), WORKER_POLL_MS: '100', WORKER_IDLE_MS: '200', ...env });
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    DATA_DIR: testDb.config.dataDir,
    ENCRYPTION_KEYS: `test:${testDb.config.encryptionKeys![0]!.key.toString('base64')}`,
    DEMO: 'false',
    WORKER_POLL_MS: '100',
    // Tests move a fake clock; a worker must not sleep through the jump.
    WORKER_IDLE_MS: '200',
    // Every test fan comes from 127.0.0.1; in life they are many addresses (test/connect-throttle sets its own).
    CONNECT_RATE_PER_IP: '100000',
    ...(testDb.config.database.kind === 'postgres'
      ? { DATABASE_URL: testDb.config.database.url, DATABASE_SCHEMA: testDb.config.database.schema! }
      : { DATABASE_URL: `sqlite:${testDb.config.database.file}` }),
    ...env,
  });
  await testDb.close();
  const ctx = await createContext(config, { ...(now ? { now } : {}), ...(opts.log ? { log: opts.log } : {}) });
  const worker = new FulfillmentWorker(ctx);
  const app = await buildApp(ctx, {
    onPresave: () => worker.nudge(),
    messageStats: () => worker.messageStats,
    webhookStats: () => worker.webhookStats,
    conversionStats: () => worker.conversionStats,
    ...(opts.analytics ? { analytics: opts.analytics } : {}),
    ...(opts.pageCache ? { pageCache: opts.pageCache } : {}),
    // The sampled pressure (event-loop delay…) is off unless a test injects its own: a test's own
    // synchronous seeding shares this event loop and would read as overload.
    pressure: opts.pressure ?? (() => null),
  });
  await app.listen({ host: '127.0.0.1', port });
  return {
    ctx,
    app,
    url: `http://127.0.0.1:${port}`,
    testDb,
    worker,
    async close() {
      await worker.stop();
      await app.close();
      await ctx.close();
      await testDb.drop();
    },
  };
}
