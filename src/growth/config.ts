import path from 'node:path';
import type { EnvReader } from '../config-reader.js';

/**
 * Settings for growth (docs/growth.md): how referrals are attributed and when they are held for
 * the artist, where vault files and previews are stored (local disk or S3-compatible object
 * storage), and how long their signed links work.
 */
export interface GrowthConfig {
  referrals: {
    /** First touch: a visit through a referral link is credited for this long (REFERRAL_WINDOW_DAYS). */
    windowMs: number;
    /** Referrals one referrer may earn per hour before the rest are held (REFERRAL_CAP_PER_HOUR). */
    capPerHour: number;
    /** The window a burst is looked for in (REFERRAL_BURST_WINDOW_MINUTES). */
    burstWindowMs: number;
    /** More than this many referrals of one referrer from one device profile in the window are held. */
    burstPerDevice: number;
    /** More than this many from one network (IPv4 /24, IPv6 /48) in the window are held. */
    burstPerNetwork: number;
  };
  storage: {
    kind: 'local' | 's3';
    /** Local disk: DATA_DIR/blobs unless BLOB_DIR says otherwise. */
    dir: string;
    s3: {
      endpoint: string;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      /** `https://endpoint/bucket/key` (MinIO, most self-hosted) rather than `https://bucket.endpoint/key`. */
      pathStyle: boolean;
    } | null;
  };
  vault: {
    maxFileBytes: number;
    /** How long a download link on the receipt works (VAULT_LINK_TTL_MINUTES). */
    linkTtlMs: number;
    /** Downloads of one item per fan (VAULT_DOWNLOADS_PER_FAN). */
    downloadsPerFan: number;
  };
  preview: {
    maxFileBytes: number;
    /** How long the player's signed address works (PREVIEW_LINK_TTL_MINUTES). */
    linkTtlMs: number;
    /** The ffmpeg executable for cutting a clip from a track (FFMPEG_PATH; optional). */
    ffmpeg: string;
  };
}

const MB = 1024 * 1024;

export function readGrowthSettings(r: EnvReader, dataDir: string): GrowthConfig {
  const kindRaw = r.str('BLOB_STORAGE') ?? 'local';
  let kind: 'local' | 's3' = 'local';
  if (kindRaw === 's3' || kindRaw === 'local') kind = kindRaw;
  else r.problem(`BLOB_STORAGE must be "local" or "s3" (got "${kindRaw}")`);
  let s3: GrowthConfig['storage']['s3'] = null;
  if (kind === 's3') {
    const missing = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].filter((n) => !r.str(n));
    if (missing.length) r.problem(`BLOB_STORAGE=s3 needs ${missing.join(', ')}`);
    const endpoint = r.str('S3_ENDPOINT') ?? '';
    if (endpoint && !/^https?:\/\/[^/\s]+\/?$/.test(endpoint))
      r.problem('S3_ENDPOINT must be an http(s) origin such as https://s3.eu-west-1.amazonaws.com');
    const bucket = r.str('S3_BUCKET') ?? '';
    if (bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) r.problem(`S3_BUCKET "${bucket}" is not a valid bucket name`);
    s3 = {
      endpoint: endpoint.replace(/\/$/, ''),
      region: r.str('S3_REGION') ?? 'us-east-1',
      bucket,
      accessKeyId: r.str('S3_ACCESS_KEY_ID') ?? '',
      secretAccessKey: r.str('S3_SECRET_ACCESS_KEY') ?? '',
      pathStyle: r.bool('S3_FORCE_PATH_STYLE', true),
    };
  }
  return {
    referrals: {
      windowMs: r.int('REFERRAL_WINDOW_DAYS', 30, 1, 365) * 86_400_000,
      capPerHour: r.int('REFERRAL_CAP_PER_HOUR', 20, 1, 100_000),
      burstWindowMs: r.int('REFERRAL_BURST_WINDOW_MINUTES', 60, 1, 10_080) * 60_000,
      burstPerDevice: r.int('REFERRAL_BURST_PER_DEVICE', 2, 1, 10_000),
      burstPerNetwork: r.int('REFERRAL_BURST_PER_NETWORK', 10, 1, 100_000),
    },
    storage: { kind, dir: r.str('BLOB_DIR') ?? path.join(dataDir, 'blobs'), s3 },
    vault: {
      maxFileBytes: r.int('VAULT_MAX_FILE_MB', 200, 1, 5_000) * MB,
      linkTtlMs: r.int('VAULT_LINK_TTL_MINUTES', 10, 1, 1_440) * 60_000,
      downloadsPerFan: r.int('VAULT_DOWNLOADS_PER_FAN', 5, 1, 1_000),
    },
    preview: {
      maxFileBytes: r.int('PREVIEW_MAX_FILE_MB', 100, 1, 2_000) * MB,
      linkTtlMs: r.int('PREVIEW_LINK_TTL_MINUTES', 30, 1, 1_440) * 60_000,
      ffmpeg: r.str('FFMPEG_PATH') ?? 'ffmpeg',
    },
  };
}
