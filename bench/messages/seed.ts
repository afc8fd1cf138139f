/**
 * A fresh database for `bench:messages` and `chaos:messages`: migrated by the engine's own
 * `migrate`, then one campaign (global timing, out a second ago) and N recipients inserted in bulk
 * through the app's own database layer — confirmed contacts (addresses encrypted and hashed as the
 * app stores them) and push subscriptions (encrypted), each with a standing "remind me" consent
 * and its "out now" message due now. Nothing here holds N rows in memory.
 */
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/index.js';
import { ReachKeys } from '../../src/reach/keys.js';
import { TokenCipher } from '../../src/util/token-cipher.js';
import { BENCH_ENCRYPTION_KEYS, BENCH_KEY, BENCH_KEY_ID, migratedBenchDb, type BenchDbInfo } from '../fanout/lib.js';

export const MESSAGES_SLUG = 'messages-bench';

export interface ReachSeed {
  kind: 'sqlite' | 'postgres';
  cli: string;
  dir: string;
  pgUrl?: string;
  mail: number;
  push: number;
  /** The push sink's origin and the browser keys every bench subscription shares. */
  pushOrigin: string;
  p256dh: string;
  auth: string;
  onProgress?: (done: number) => void;
}

export const benchAddress = (i: number) => `fan${String(i).padStart(7, '0')}@bench.example`;
export const benchPushId = (i: number) => `b${String(i).padStart(7, '0')}`;
/** The manage id of bench contact (`c`) or push subscription (`p`) number i, as seeded and as the baseline composes. */
export const benchManageId = (kind: 'c' | 'p', i: number) => `b${kind}${String(i).padStart(20, '0')}`;

export async function seedReach(o: ReachSeed): Promise<{ info: BenchDbInfo; seedS: number; dueAt: number }> {
  const { env, where } = await migratedBenchDb(o);

  const config = loadConfig({ NODE_ENV: 'development', DEMO: 'false', DATA_DIR: o.dir, ENCRYPTION_KEYS: BENCH_ENCRYPTION_KEYS, ...env });
  const handle = openDatabase(config);
  const t0 = Date.now();
  const now = Date.now();
  const due = now - 1000;
  try {
    const campaignId = await insertCampaign(handle.db, due, now);
    await insertRecipients(handle.db, o, campaignId, due, now);
    return { info: { kind: o.kind, env, where, campaignId }, seedS: (Date.now() - t0) / 1000, dueAt: due };
  } finally {
    await handle.close();
  }
}

async function insertCampaign(db: Db, due: number, now: number): Promise<number> {
  const row = await db
    .insertInto('campaigns')
    .values({
      slug: MESSAGES_SLUG,
      artist_name: 'The Benchmarks',
      title: 'Out Now',
      release_type: 'album',
      artwork_url: null,
      upc: null,
      isrcs: '[]',
      release_local: new Date(due).toISOString().slice(0, 16),
      release_timezone: 'UTC',
      timing: 'global',
      first_release_at: due,
      last_release_at: due,
      services: '["sandbox"]',
      follow_artist: 0,
      status: 'active',
      is_demo: 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

const CHUNK = 1000;

/** What differs between a mail and a push recipient: its own row, and how its consent and message point at it. */
interface Channel {
  count: number;
  insert(tx: Db, ids: number[]): Promise<unknown>;
  owner(i: number): { contact_id: number | null; push_id: number | null };
  message(i: number): { channel: 'email' | 'push'; dedupe: string; channel_key: string };
}

async function insertRecipients(db: Db, o: ReachSeed, campaignId: number, due: number, now: number): Promise<void> {
  const cipher = new TokenCipher([{ id: BENCH_KEY_ID, key: BENCH_KEY }]);
  const keys = new ReachKeys(BENCH_KEY);
  const audience = `c:${campaignId}`;
  const pushHost = new URL(o.pushOrigin).host;
  const consent = {
    campaign_id: campaignId,
    service: null,
    presave_id: null,
    purpose: 'remind' as const,
    text: 'Remind me when it’s out (this release).',
    text_version: 'bench',
    lang: 'en',
    page: 'campaign' as const,
    timezone: 'UTC',
    given_at: now,
    // Confirmed by the fan (double opt-in done): only confirmed consents are acted on.
    confirmed_at: now,
    withdrawn_at: null,
    withdrawn_via: null,
    forever_id: null,
  };
  const message = {
    campaign_id: campaignId,
    type: 'out_now' as const,
    presave_id: null,
    lang: 'en',
    status: 'pending' as const,
    next_attempt_at: due,
    lease_owner: null,
    lease_token: null,
    lease_until: null,
    last_error: null,
    failure_reason: null,
    variant: null,
    sent_at: null,
    created_at: now,
    updated_at: now,
  };
  const mail: Channel = {
    count: o.mail,
    owner: (i) => ({ contact_id: i, push_id: null }),
    message: (i) => ({ channel: 'email', dedupe: `out_now:c${i}:${campaignId}`, channel_key: 'mail:smtp' }),
    insert: (tx, ids) =>
      tx
        .insertInto('contacts')
        .values(
          ids.map((i) => {
            const address = benchAddress(i);
            const hash = keys.hash('email', address);
            return {
              id: i,
              audience,
              email_hash: hash,
              email_enc: cipher.encrypt(address, `contact:${hash}`),
              manage_id: benchManageId('c', i),
              status: 'confirmed' as const,
              lang: 'en',
              campaign_id: campaignId,
              confirm_expires_at: null,
              confirmed_at: now,
              suppressed_at: null,
              suppressed_reason: null,
              created_at: now,
              updated_at: now,
            };
          }),
        )
        .execute(),
  };
  const push: Channel = {
    count: o.push,
    owner: (i) => ({ contact_id: null, push_id: i }),
    message: (i) => ({ channel: 'push', dedupe: `out_now:p${i}:${campaignId}`, channel_key: `push:${pushHost}` }),
    insert: (tx, ids) =>
      tx
        .insertInto('push_subscriptions')
        .values(
          ids.map((i) => {
            const endpoint = `${o.pushOrigin}/push/${benchPushId(i)}`;
            const hash = keys.hash('push', endpoint);
            const json = JSON.stringify({ endpoint, keys: { p256dh: o.p256dh, auth: o.auth } });
            return {
              id: i,
              audience,
              endpoint_hash: hash,
              subscription_enc: cipher.encrypt(json, `push:${hash}`),
              endpoint_host: pushHost,
              manage_id: benchManageId('p', i),
              lang: 'en',
              campaign_id: campaignId,
              created_at: now,
              updated_at: now,
            };
          }),
        )
        .execute(),
  };
  // Mail recipients first, then push; progress counts both in that order.
  let before = 0;
  for (const ch of [mail, push]) {
    for (let start = 1; start <= ch.count; start += CHUNK) {
      const end = Math.min(ch.count, start + CHUNK - 1);
      const ids = Array.from({ length: end - start + 1 }, (_, k) => start + k);
      // A recipient, its consent and its message land together or not at all.
      await db.transaction().execute(async (tx) => {
        await ch.insert(tx, ids);
        await tx
          .insertInto('consents')
          .values(ids.map((i) => ({ ...consent, ...ch.owner(i) })))
          .execute();
        await tx
          .insertInto('messages')
          .values(ids.map((i) => ({ ...message, ...ch.owner(i), ...ch.message(i) })))
          .execute();
      });
      o.onProgress?.(before + end);
    }
    before += ch.count;
  }
  if (o.kind === 'postgres') {
    // Explicit ids leave the sequences behind; anything the app inserts later must not collide.
    const { sql } = await import('kysely');
    for (const t of ['contacts', 'push_subscriptions']) {
      await sql`SELECT setval(pg_get_serial_sequence(${t}, 'id'), (SELECT COALESCE(MAX(id), 1) FROM ${sql.table(t)}))`.execute(db);
    }
    await sql`ANALYZE`.execute(db);
  }
}
