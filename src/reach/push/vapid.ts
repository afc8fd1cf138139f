import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import type { AppContext } from '../../context.js';

/**
 * The VAPID key pair web push is signed with (RFC 8292): from VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY,
 * or else generated once into DATA_DIR/vapid.json (mode 0600) with a warning, like the token key
 * (util/keys.ts). Browsers bind a subscription to the public key it was made with: a new pair
 * orphans every stored subscription, so the file must be kept (and backed up) with the data.
 */
export interface VapidKeys {
  /** URL-safe base64 of the uncompressed P-256 point (65 bytes): `applicationServerKey` in pages. */
  publicKey: string;
  privateKey: string;
}

const byContext = new WeakMap<AppContext, VapidKeys>();

const PUBLIC = /^[A-Za-z0-9_-]{87}$/;
const PRIVATE = /^[A-Za-z0-9_-]{43}$/;

export function loadVapidKeys(config: Pick<AppContext['config'], 'dataDir' | 'reach'>, log: AppContext['log']): VapidKeys {
  if (config.reach.push.vapid) return config.reach.push.vapid;
  const file = path.join(config.dataDir, 'vapid.json');
  if (fs.existsSync(file)) {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<VapidKeys>;
    if (
      typeof parsed.publicKey !== 'string' ||
      !PUBLIC.test(parsed.publicKey) ||
      typeof parsed.privateKey !== 'string' ||
      !PRIVATE.test(parsed.privateKey)
    ) {
      throw new Error(`${file} is not a valid VAPID key file (expected {"publicKey","privateKey"} in URL-safe base64)`);
    }
    return { publicKey: parsed.publicKey, privateKey: parsed.privateKey };
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const keys = webpush.generateVAPIDKeys();
  try {
    fs.writeFileSync(file, `${JSON.stringify({ publicKey: keys.publicKey, privateKey: keys.privateKey })}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process of this server wrote it first: use theirs, so every process signs alike.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadVapidKeys(config, log);
    throw err;
  }
  log.warn(
    { file },
    'VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY are not set: generated a web push key pair in the data directory. Back it up; ' +
      'with a new pair every browser subscription stops working. In production set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY instead.',
  );
  return keys;
}

/** This server's VAPID keys, loaded (or generated) once per context. */
export function vapidKeys(ctx: AppContext): VapidKeys {
  let keys = byContext.get(ctx);
  if (!keys) {
    keys = loadVapidKeys(ctx.config, ctx.log);
    byContext.set(ctx, keys);
  }
  return keys;
}
