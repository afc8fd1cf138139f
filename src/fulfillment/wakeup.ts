import pg from 'pg';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { AppContext } from '../context.js';

/**
 * Waking idle workers when work arrives. On PostgreSQL, workers LISTEN on a channel and whoever
 * records due work (a pre-save for a released campaign, `fulfillment retry`, `resume`) NOTIFYs
 * it; polling every WORKER_IDLE_MS remains as the backstop. SQLite has no such channel: the
 * worker in the same process is nudged directly, and others poll every WORKER_POLL_MS.
 */
export function channelFor(config: Config): string {
  const schema = config.database.kind === 'postgres' ? (config.database.schema ?? 'public') : 'sqlite';
  return `dropday_due_${schema}`;
}

export async function notifyWorkers(ctx: Pick<AppContext, 'db' | 'dialect' | 'config'>): Promise<void> {
  if (ctx.dialect !== 'postgres') return;
  await sql`SELECT pg_notify(${channelFor(ctx.config)}, '')`.execute(ctx.db).catch(() => {});
}

/** Listens for NOTIFY; reconnects after a dropped connection. Returns a stop function. */
export function listenForWork(config: Config, onWake: () => void, log: AppContext['log']): () => Promise<void> {
  if (config.database.kind !== 'postgres') return async () => {};
  const { url } = config.database;
  const channel = channelFor(config);
  let client: pg.Client | null = null;
  let stopped = false;
  let retryMs = 500;

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    c.on('notification', () => onWake());
    c.on('error', () => {
      /* handled by 'end' */
    });
    c.on('end', () => {
      if (stopped) return;
      client = null;
      onWake(); // something may have been missed while disconnected
      setTimeout(() => void connect(), retryMs).unref();
      retryMs = Math.min(retryMs * 2, 30_000);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      client = c;
      retryMs = 500;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not LISTEN for new work; polling meanwhile');
      await c.end().catch(() => {});
    }
  };
  void connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => {});
  };
}
