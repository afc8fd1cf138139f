import path from 'node:path';
import { readAccountsSettings, type AccountsConfig } from './accounts/config.js';
import { EnvReader, type Env } from './config-reader.js';
import { parseRateLimits } from './fulfillment/rate-spec.js';
import { readLinkLookupSettings, type LinkLookupConfig } from './links/lookup/config.js';
import { readReachSettings, type ReachConfig } from './reach/config.js';
import { readGrowthSettings, type GrowthConfig } from './growth/config.js';
import { readApiSettings, type ApiConfig } from './api/config.js';
import { readConversionsSettings, type ConversionsConfig } from './conversions/config.js';
import { readWebhookSettings, type WebhookConfig } from './webhooks/config.js';
import { readAppleMusicConfig, type AppleMusicConfig } from './providers/apple-music/config.js';
import { readDeezerConfig, type DeezerConfig } from './providers/deezer/config.js';
import { readSpotifyConfig, type SpotifyConfig } from './providers/spotify/config.js';
import { readTidalConfig, type TidalConfig } from './providers/tidal/config.js';
import { readOverloadSettings, type OverloadConfig } from './web/overload/config.js';

/**
 * Environment → typed configuration. Every variable is validated at start and every problem is
 * reported at once, so an operator fixes a bad `.env` in one pass. `.env.example` documents each.
 */
export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** The address fans reach this server at; OAuth redirect URIs are derived from it. */
  publicUrl: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };
  /** Active key first. Each key is 32 bytes; ids are stored with the ciphertext to allow rotation. */
  encryptionKeys: { id: string; key: Buffer }[] | null;
  logLevel: string;
  trustProxy: boolean;
  /** Starts of a fan's connect (/connect/…) allowed per minute, per client IP and per campaign. */
  connectRate: { perIp: number; perCampaign: number };
  demo: boolean;
  outboundTimeoutMs: number;
  /** How far ahead a campaign's release date may be, in days (MAX_RELEASE_LEAD_DAYS). */
  maxReleaseLeadDays: number;
  /** Bearer token for /metrics; metrics are off without one. */
  metricsToken: string | null;
  /** When new requests are refused with 503, and the HTTP server's timeouts (src/web/overload/config.ts). */
  overload: OverloadConfig;
  /** Raw analytics events older than this many days are deleted (rollups keep the history). */
  analyticsRetentionDays: number;
  worker: {
    enabled: boolean;
    pollMs: number;
    batchSize: number;
    concurrency: number;
    leaseMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    releaseSearchHours: number;
    /** Requests per second per service shared by every worker (0 or absent: none known; learnt from 429s). */
    rateLimits: Record<string, number>;
    /** Longest sleep when nothing is due; PostgreSQL NOTIFY wakes workers earlier. */
    idleMs: number;
    /** How long a failed pre-save's grant is kept so an operator can re-drive it. */
    failedGrantRetentionMs: number;
  };
  providers: {
    spotify: SpotifyConfig | null;
    tidal: TidalConfig | null;
    deezer: DeezerConfig | null;
    appleMusic: AppleMusicConfig | null;
  };
  /** Accounts, sessions, sign-in throttling and mail (src/accounts/config.ts reads them). */
  accounts: AccountsConfig;
  /** Store links found automatically (src/links/lookup/config.ts reads them). */
  linkLookup: LinkLookupConfig;
  /** Reaching fans: sender identity, DKIM, SMTP pool and rate, web push, opt-in (src/reach/config.ts). */
  reach: ReachConfig;
  /** Referrals, vault and preview storage, signed links (src/growth/config.ts). */
  growth: GrowthConfig;
  /** The REST API: rate limits per key and per network (src/api/config.ts). */
  api: ApiConfig;
  /** Server-side conversion events: platform endpoints and rates (src/conversions/config.ts). */
  conversions: ConversionsConfig;
  /** Webhooks: private targets, failures before disabling, chat base URLs (src/webhooks/config.ts). */
  webhooks: WebhookConfig;
  sandbox: {
    enabled: boolean;
    /** Where Dropday reaches the Sandbox over HTTP (default: this server under /sandbox). */
    baseUrl: string;
    clientId: string;
    accessTokenTtlSeconds: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): Config {
  const r = new EnvReader(env);
  const problems = r.problems;
  const read = (name: string) => r.str(name);
  const int = (name: string, def: number, min: number, max: number) => r.int(name, def, min, max);
  const bool = (name: string, def: boolean) => r.bool(name, def);

  const nodeEnv = read('NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const host = read('HOST') ?? '127.0.0.1';
  const port = int('PORT', 3000, 0, 65535);

  let publicUrl = read('PUBLIC_URL') ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    const u = new URL(publicUrl);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    if (u.search || u.hash) problems.push('PUBLIC_URL must not have a query or fragment');
    publicUrl = u.toString().replace(/\/$/, '');
  } catch {
    problems.push(`PUBLIC_URL must be an http(s) URL (got "${publicUrl}")`);
  }
  if (nodeEnv === 'production' && publicUrl.startsWith('http:') && !isLoopbackUrl(publicUrl)) {
    problems.push('PUBLIC_URL must use https in production (plain http is allowed only on a loopback address)');
  }

  const dataDir = path.resolve(read('DATA_DIR') ?? './data');

  const dbUrl = read('DATABASE_URL');
  let database: Config['database'] = { kind: 'sqlite', file: path.join(dataDir, 'dropday.sqlite') };
  if (dbUrl) {
    if (/^postgres(ql)?:\/\//.test(dbUrl)) {
      const schema = read('DATABASE_SCHEMA');
      if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
        problems.push(`DATABASE_SCHEMA must be a lower-case SQL identifier (got "${schema}")`);
      }
      database = { kind: 'postgres', url: dbUrl, ...(schema ? { schema } : {}) };
    } else if (dbUrl.startsWith('sqlite:')) {
      const file = dbUrl.slice('sqlite:'.length).replace(/^\/\//, '');
      if (!file) problems.push('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/dropday.sqlite');
      database = { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
    } else {
      problems.push('DATABASE_URL must start with postgres://, postgresql:// or sqlite: (the password is not shown here)');
    }
  }

  let encryptionKeys: Config['encryptionKeys'] = null;
  const keysRaw = read('ENCRYPTION_KEYS');
  if (keysRaw) {
    encryptionKeys = [];
    for (const part of keysRaw.split(',')) {
      const m = /^([A-Za-z0-9_-]{1,16}):([A-Za-z0-9+/=_-]+)$/.exec(part.trim());
      const key = m ? Buffer.from(m[2]!, 'base64') : null;
      if (!m || !key || key.length !== 32) {
        problems.push(
          'ENCRYPTION_KEYS must be a comma-separated list of id:base64 entries, each key 32 bytes ' +
            '(generate one with `npx dropday keygen`); the key material is not shown here',
        );
        encryptionKeys = null;
        break;
      }
      encryptionKeys.push({ id: m[1]!, key });
    }
  }

  const logLevel = read('LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const sandboxBase = read('SANDBOX_BASE_URL');
  if (sandboxBase) {
    try {
      new URL(sandboxBase);
    } catch {
      problems.push(`SANDBOX_BASE_URL must be a URL (got "${sandboxBase}")`);
    }
  }

  const rateLimits = parseRateLimits(read('RATE_LIMITS'));
  problems.push(...rateLimits.problems);

  const config: Config = {
    env: nodeEnv as Config['env'],
    host,
    port,
    publicUrl,
    dataDir,
    database,
    encryptionKeys,
    logLevel,
    trustProxy: bool('TRUST_PROXY', false),
    connectRate: {
      perIp: int('CONNECT_RATE_PER_IP', 120, 1, 100_000),
      perCampaign: int('CONNECT_RATE_PER_CAMPAIGN', 30_000, 1, 10_000_000),
    },
    demo: bool('DEMO', nodeEnv !== 'production'),
    outboundTimeoutMs: int('OUTBOUND_TIMEOUT_MS', 10_000, 100, 120_000),
    maxReleaseLeadDays: int('MAX_RELEASE_LEAD_DAYS', 730, 1, 3650),
    metricsToken: read('METRICS_TOKEN') ?? null,
    overload: readOverloadSettings(r),
    analyticsRetentionDays: int('ANALYTICS_RETENTION_DAYS', 90, 1, 36_500),
    worker: {
      enabled: bool('WORKER_ENABLED', true),
      pollMs: int('WORKER_POLL_MS', 1000, 10, 60_000),
      batchSize: int('WORKER_BATCH_SIZE', 50, 1, 1000),
      concurrency: int('WORKER_CONCURRENCY', 8, 1, 256),
      leaseMs: int('WORKER_LEASE_MS', 60_000, 1000, 3_600_000),
      maxAttempts: int('WORKER_MAX_ATTEMPTS', 8, 1, 100),
      retryBaseMs: int('WORKER_RETRY_BASE_MS', 5000, 10, 3_600_000),
      releaseSearchHours: int('RELEASE_SEARCH_HOURS', 48, 1, 24 * 30),
      rateLimits: rateLimits.limits,
      idleMs: int('WORKER_IDLE_MS', 30_000, 100, 600_000),
      failedGrantRetentionMs: int('FAILED_GRANT_RETENTION_DAYS', 7, 0, 365) * 86_400_000,
    },
    providers: {
      spotify: readSpotifyConfig(r, publicUrl),
      tidal: readTidalConfig(r, publicUrl),
      deezer: readDeezerConfig(r, publicUrl),
      appleMusic: readAppleMusicConfig(r),
    },
    accounts: readAccountsSettings(r, publicUrl),
    linkLookup: readLinkLookupSettings(r, nodeEnv),
    reach: readReachSettings(r, nodeEnv, Boolean(read('SMTP_URL')), publicUrl),
    growth: readGrowthSettings(r, dataDir),
    api: readApiSettings(r),
    conversions: readConversionsSettings(r),
    webhooks: readWebhookSettings(r),
    sandbox: {
      enabled: bool('SANDBOX_ENABLED', true),
      baseUrl: (sandboxBase ?? `${publicUrl}/sandbox`).replace(/\/$/, ''),
      clientId: read('SANDBOX_CLIENT_ID') ?? 'dropday-local',
      accessTokenTtlSeconds: int('SANDBOX_ACCESS_TOKEN_TTL', 3600, 1, 86_400),
    },
  };
  checkRedirectUris(config, problems);
  if (problems.length) throw new ConfigError(problems);
  return config;
}

export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === '[::1]' || host.startsWith('127.') || host === 'localhost';
}

/** The exact redirect URI registered with a service: one per service, derived from PUBLIC_URL. */
export function redirectUriFor(config: Config, service: string): string {
  const p = config.providers;
  const configured = { spotify: p.spotify?.redirectUri, tidal: p.tidal?.redirectUri, deezer: p.deezer?.redirectUri }[service];
  return configured ?? `${config.publicUrl}/callback/${service}`;
}

/** Each service needs its own redirect URI, and it must reach this server's /callback/<service>. */
function checkRedirectUris(config: Config, problems: string[]): void {
  const seen = new Map<string, string>();
  for (const service of ['spotify', 'tidal', 'deezer'] as const) {
    if (!config.providers[service]) continue;
    const uri = redirectUriFor(config, service);
    try {
      if (!new URL(uri).pathname.endsWith(`/callback/${service}`)) {
        problems.push(
          `${service.toUpperCase()}_REDIRECT_URI must end with /callback/${service} (that is where Dropday receives the answer)`,
        );
      }
    } catch {
      continue; // already reported by the service's reader
    }
    const other = seen.get(uri);
    if (other) problems.push(`${service} and ${other} have the same redirect URI; each service needs its own`);
    seen.set(uri, service);
  }
}
