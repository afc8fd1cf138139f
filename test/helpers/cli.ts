import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestDb } from './db.js';

export const CLI = path.resolve('dist/cli.js');

/** The environment that points a `dropday` process at a test database. */
export function envFor(t: TestDb, extra: Record<string, string> = {}): Record<string, string> {
  const db: Record<string, string> =
    t.config.database.kind === 'postgres'
      ? { DATABASE_URL: t.config.database.url, DATABASE_SCHEMA: t.config.database.schema! }
      : { DATABASE_URL: `sqlite:${t.config.database.file}` };
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: t.config.dataDir,
    ENCRYPTION_KEYS: `test:${t.config.encryptionKeys![0]!.key.toString('base64')}`,
    DEMO: 'false',
    ...db,
    ...extra,
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a long-running `dropday` process and resolves once it prints `ready`. */
export function startCli(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      if (ready.test(out)) resolve({ child, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`dropday exited with ${code} before ready:\n${out}`)));
    setTimeout(() => reject(new Error(`dropday not ready in 20 s:\n${out}`)), 20_000).unref();
  });
}

export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
