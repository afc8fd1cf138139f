import pino from 'pino';
import { createContext } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import type { AppContext } from '../context.js';
import { createLogger } from '../log.js';
import { envWithRunningServer } from '../server-url.js';

/** Runs a CLI command with a context whose logs go to stderr, and always closes the database. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig(envWithRunningServer());
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, pino.destination(2));
  const ctx = await createContext(config, { log });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function printJson(v: unknown): void {
  process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
}
