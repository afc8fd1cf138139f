import fs from 'node:fs';
import path from 'node:path';
import type { Env } from './config-reader.js';

/**
 * The address of the server running on this DATA_DIR. `dropday serve --port 4000` listens where
 * the environment does not say, so a command run in another shell (`admin create`, `campaign
 * create`, `worker`) would print or call http://…:3000. `serve` records its public URL in
 * DATA_DIR/server.json; commands use it when neither PUBLIC_URL nor PORT is set (their own
 * setting always wins) and the recording process is still alive.
 */
const FILE = 'server.json';

export function recordServerUrl(dataDir: string, publicUrl: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, FILE), JSON.stringify({ publicUrl, pid: process.pid }));
  } catch {
    // Best effort: without it, commands fall back to PUBLIC_URL / PORT as before.
  }
}

export function clearServerUrl(dataDir: string): void {
  try {
    const file = path.join(dataDir, FILE);
    const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: number };
    if (rec.pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    // nothing recorded
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The environment for a command other than `serve`: PUBLIC_URL filled in from the running server. */
export function envWithRunningServer(env: Env = process.env): Env {
  if (env.PUBLIC_URL || env.PORT) return env;
  const dataDir = path.resolve(env.DATA_DIR ?? './data');
  try {
    const rec = JSON.parse(fs.readFileSync(path.join(dataDir, FILE), 'utf8')) as { publicUrl?: unknown; pid?: unknown };
    if (typeof rec.publicUrl === 'string' && typeof rec.pid === 'number' && alive(rec.pid)) return { ...env, PUBLIC_URL: rec.publicUrl };
  } catch {
    // no server recorded
  }
  return env;
}
