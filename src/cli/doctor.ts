import { createPrivateKey, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { sql } from 'kysely';
import { redirectUriProblem } from '../config-reader.js';
import { loadConfig, redirectUriFor, type Config } from '../config.js';
import { openDatabase, pendingMigrations } from '../db/index.js';
import { envWithRunningServer } from '../server-url.js';
import { checkBlobStore } from '../growth/storage/check.js';
import { print } from './context.js';

type Level = 'ok' | 'warn' | 'fail';
interface Check {
  level: Level;
  what: string;
}

const MARK: Record<Level, string> = { ok: '✓', warn: '!', fail: '✗' };

/** Checks the configured services and the server's own setup, and says plainly what is wrong. */
export async function runDoctor(config: Config, opts: { network: boolean }): Promise<Check[]> {
  const checks: Check[] = [];
  const ok = (what: string) => checks.push({ level: 'ok', what });
  const warn = (what: string) => checks.push({ level: 'warn', what });
  const fail = (what: string) => checks.push({ level: 'fail', what });

  const handle = openDatabase(config);
  try {
    await sql`SELECT 1`.execute(handle.db);
    const pending = await pendingMigrations(handle, config.database.kind === 'postgres' ? config.database.schema : undefined);
    if (pending.length)
      warn(`database reachable (${handle.dialect}); migrations not yet applied: ${pending.join(', ')} — run \`dropday migrate\``);
    else ok(`database reachable (${handle.dialect}) and up to date`);
  } catch (err) {
    fail(`database unreachable (${handle.dialect}): ${(err as Error).message.replace(/\/\/[^@]*@/, '//…@')}`);
  } finally {
    await handle.close().catch(() => {});
  }

  if (config.encryptionKeys)
    ok(`token encryption: ${config.encryptionKeys.length} key(s) from ENCRYPTION_KEYS, active "${config.encryptionKeys[0]!.id}"`);
  else if (fs.existsSync(path.join(config.dataDir, 'encryption.key'))) {
    (config.env === 'production' ? fail : warn)(
      'token encryption: using the generated key in DATA_DIR/encryption.key — set ENCRYPTION_KEYS and back it up',
    );
  } else warn('token encryption: no key yet; one will be generated into DATA_DIR on first start (set ENCRYPTION_KEYS in production)');

  if (config.env === 'production' && !config.publicUrl.startsWith('https:')) fail('PUBLIC_URL must be https in production');
  else ok(`public URL ${config.publicUrl}`);

  const p = config.providers;
  for (const [service, cfg] of [
    ['spotify', p.spotify],
    ['tidal', p.tidal],
    ['deezer', p.deezer],
  ] as const) {
    if (!cfg) {
      ok(`${service}: not configured (not offered)`);
      continue;
    }
    const uri = redirectUriFor(config, service);
    const problem = redirectUriProblem(`${service} redirect URI`, uri);
    if (problem) fail(problem);
    else ok(`${service}: credentials present; register this exact redirect URI with ${service}: ${uri}`);
  }
  if (p.spotify) {
    warn(
      'spotify: apps in Development Mode serve only 5 fans you allow-list in the Spotify Developer Dashboard; ' +
        'others see "not on the allow-list". Extended Quota is granted only to organisations.',
    );
    if (!p.spotify.clientSecret) ok('spotify: no client secret set — using PKCE only (fine)');
  }
  if (p.appleMusic) checkAppleKey(p.appleMusic, ok, fail, warn);

  if (config.sandbox.enabled && opts.network) {
    try {
      const res = await fetch(`${config.sandbox.baseUrl}/v1/me`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 401) ok(`sandbox: reachable at ${config.sandbox.baseUrl}`);
      else warn(`sandbox: ${config.sandbox.baseUrl} answered ${res.status} (expected 401 without a token)`);
    } catch {
      warn(`sandbox: not reachable at ${config.sandbox.baseUrl} (is \`dropday serve\` running?)`);
    }
  }
  // Vault files and preview clips (growth/storage): local disk, or S3 asked for a missing key.
  checks.push(await checkBlobStore(config, opts.network));
  return checks;
}

function checkAppleKey(
  cfg: NonNullable<Config['providers']['appleMusic']>,
  ok: (w: string) => void,
  fail: (w: string) => void,
  warn: (w: string) => void,
): void {
  if (!/^[A-Z0-9]{10}$/.test(cfg.teamId))
    warn(`apple-music: APPLE_MUSIC_TEAM_ID "${cfg.teamId}" does not look like a 10-character Team ID`);
  if (!/^[A-Z0-9]{10}$/.test(cfg.keyId)) warn(`apple-music: APPLE_MUSIC_KEY_ID "${cfg.keyId}" does not look like a 10-character Key ID`);
  try {
    const key = createPrivateKey(cfg.privateKeyPem);
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      fail('apple-music: the private key is not an EC P-256 key (a MusicKit .p8 key is)');
      return;
    }
    sign('sha256', Buffer.from('dropday-doctor'), { key, dsaEncoding: 'ieee-p1363' });
    const days = Math.floor(cfg.tokenTtlSeconds / 86_400);
    ok(`apple-music: MusicKit key parses; developer tokens last ${days} days (Apple's limit is 182) and are renewed before expiry`);
  } catch {
    fail('apple-music: the MusicKit private key cannot be read (expected the PEM contents of the .p8 file)');
  }
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check the configuration, the database and every configured streaming service')
    .option('--no-network', 'skip checks that make network calls')
    .action(async (o: { network: boolean }) => {
      const checks = await runDoctor(loadConfig(envWithRunningServer()), o);
      for (const c of checks) print(`${MARK[c.level]} ${c.what}`);
      const failed = checks.filter((c) => c.level === 'fail').length;
      print(failed ? `\n${failed} problem(s) to fix.` : '\nNo problems found.');
      if (failed) process.exitCode = 1;
    });
}
