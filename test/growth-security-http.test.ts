import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { throttleKey, type ThrottleScope } from '../src/accounts/throttle.js';
import type { Campaign } from '../src/campaigns/repo.js';
import { ensureContactCode } from '../src/growth/referrals/codes.js';
import { setLeaderboardPublic } from '../src/growth/settings.js';
import { signedPath } from '../src/growth/signed-links.js';
import { blobStore } from '../src/growth/storage/index.js';
import { createLogger } from '../src/log.js';
import { reachKeys } from '../src/reach/keys.js';
import { contentDisposition } from '../src/web/blob-response.js';
import { testDialects } from './helpers/db.js';
import { seedPresaves } from './helpers/presaves.js';
import { reachCampaign } from './helpers/reach.js';
import { insertContact } from './helpers/reach-seed.js';
import { startS3 } from './helpers/s3rver.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { addFile, vaultOnPage } from './helpers/vault.js';

/**
 * The growth routes as an attacker meets them (review pass): signed links never reach the logs;
 * every route a stranger can call answers 429 with Retry-After once its per-network limit is used,
 * and keeps only a keyed hash of the network; a cancelled pre-save unlocks nothing; the S3 store's
 * pool closes with the app; file names in Content-Disposition cannot break the header or spoof.
 */
const DAY = 86_400_000;

describe.each(testDialects())('growth routes under attack (%s)', (dialect) => {
  let server: TestServer;
  let campaign: Campaign;
  const clock = Date.now();
  let logs = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock, { log: createLogger('trace', sink) });
    campaign = await reachCampaign(server.ctx, 'growth-sec');
  });
  afterAll(async () => {
    await server?.close();
  });

  async function fan(status: 'pending' | 'cancelled', dueAt = campaign.first_release_at) {
    const [id] = await seedPresaves(server.ctx.db, { campaignId: campaign.id, count: 1, status, dueAt, createdAt: clock });
    return server.ctx.db.selectFrom('presaves').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
  }
  /** Uses up a scope's limit for this test's network (one counted request made it exist). */
  const exhaust = (scope: ThrottleScope) =>
    server.ctx.db.updateTable('throttles').set({ count: 1_000_000 }).where('scope', '=', scope).execute();
  const keysOf = async (scope: ThrottleScope) =>
    (await server.ctx.db.selectFrom('throttles').select('key_hash').where('scope', '=', scope).execute()).map((r) => r.key_hash);
  const network = () => reachKeys(server.ctx).hash('network', '127.0.0.1');

  it('a signed vault link (its sig and exp) never reaches the request log', async () => {
    const item = await addFile(server.ctx, campaign.id, { title: 'Logged?' });
    const f = await fan('pending');
    const link = vaultOnPage(await (await fetch(`${server.url}/p/${f.public_id}?lang=en`)).text()).get(item.id)!.href!;
    const q = new URL(link, server.url).searchParams;
    const res = await fetch(`${server.url}${link}`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect(logs).toContain(`/vault/${item.id}`); // the request was logged…
    expect(logs).not.toContain(q.get('sig')!); // …without its signature
    expect(logs).not.toContain(`exp=${q.get('exp')!}`);
    // A preview link's too.
    const preview = signedPath(server.ctx, 'preview', f.public_id, String(campaign.id), 60_000);
    await (await fetch(`${server.url}${preview}`)).arrayBuffer();
    expect(logs).toContain(`/preview/${campaign.id}`);
    expect(logs).not.toContain(new URL(preview, server.url).searchParams.get('sig')!);
  });

  it('the vault link, the preview clip and the leaderboard answer 429 with Retry-After over their limits', async () => {
    await setLeaderboardPublic(server.ctx.db, campaign.id, true, clock);
    const f = await fan('pending');
    const item = await addFile(server.ctx, campaign.id, { title: 'Limited' });
    const vault = signedPath(server.ctx, 'vault', f.public_id, String(item.id), 60_000);
    const preview = signedPath(server.ctx, 'preview', f.public_id, String(campaign.id), 60_000);
    const cases: [ThrottleScope, string][] = [
      ['vault-ip', vault],
      ['preview-clip-ip', preview],
      ['leaderboard-ip', `/${campaign.slug}/leaderboard?lang=en`],
      ['contest-page-ip', `/${campaign.slug}/contest?lang=en`],
    ];
    for (const [scope, path] of cases) {
      const first = await fetch(`${server.url}${path}`);
      expect(first.status, `${scope} first`).not.toBe(429);
      await first.arrayBuffer();
      await exhaust(scope);
      const refused = await fetch(`${server.url}${path}`);
      expect(refused.status, scope).toBe(429);
      expect(Number(refused.headers.get('retry-after')), scope).toBeGreaterThan(0);
      expect(refused.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_RATE_LIMITED');
      await refused.arrayBuffer();
      // Only a keyed hash of the network is kept, never a plain hash anyone can reverse by trying addresses.
      expect(await keysOf(scope)).toEqual([network()]);
    }
  });

  it('a referral visit keeps only a keyed hash of the network', async () => {
    const { contactId } = await insertContact(server.ctx, {
      audience: `c:${campaign.id}`,
      email: 'referrer@example.org',
      status: 'confirmed',
      campaignId: campaign.id,
      at: clock,
    });
    const code = await ensureContactCode(server.ctx.db, { campaignId: campaign.id, contactId }, clock);
    const res = await fetch(`${server.url}/${campaign.slug}?r=${code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toContain(`dropday_ref_${campaign.id}=`);
    await res.arrayBuffer();
    const keys = await keysOf('referral-ip');
    expect(keys).toEqual([network()]);
    expect(keys).not.toContain(throttleKey('referral-ip', '127.0.0.1'));
  });

  it('a cancelled pre-save unlocks nothing, even once the release has come', async () => {
    await server.ctx.db.deleteFrom('throttles').execute(); // the limits used up above
    const atRelease = await addFile(server.ctx, campaign.id, { title: 'Release gift', unlock: 'release' });
    const standing = await fan('pending', clock - DAY);
    const cancelled = await fan('cancelled', clock - DAY);
    const page = async (publicId: string) => vaultOnPage(await (await fetch(`${server.url}/p/${publicId}?lang=en`)).text());
    expect((await page(standing.public_id)).get(atRelease.id)).toMatchObject({ state: 'unlocked' });
    expect((await page(cancelled.public_id)).get(atRelease.id)).toMatchObject({ state: 'locked', href: null });
    // A link made for the cancelled receipt (before it was cancelled) no longer opens the file.
    const link = signedPath(server.ctx, 'vault', cancelled.public_id, String(atRelease.id), 60_000);
    const res = await fetch(`${server.url}${link}`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Still locked');
  });
});

describe('the S3 store with the app', () => {
  it('closes its connection pool when the app closes (graceful shutdown)', async () => {
    const s3 = await startS3();
    const s = s3.settings;
    const server = await startTestServer('sqlite', {
      BLOB_STORAGE: 's3',
      S3_ENDPOINT: s.endpoint,
      S3_BUCKET: s.bucket,
      S3_ACCESS_KEY_ID: s.accessKeyId,
      S3_SECRET_ACCESS_KEY: s.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    });
    try {
      const store = blobStore(server.ctx);
      expect(store.kind).toBe('s3');
      expect(await store.size('vault/1/abcdefghijklmnopqrstuvwx')).toBeNull();
      await server.app.close();
      // Its pool is closed: no socket is kept alive (nor a request served) after the shutdown.
      await expect(store.size('vault/1/abcdefghijklmnopqrstuvwx')).rejects.toThrow(/could not be reached \(UND_ERR_(CLOSED|DESTROYED)\)/);
    } finally {
      await server.close();
      await s3.close();
    }
  });
});

describe('Content-Disposition of a stored file name', () => {
  it('never throws on a broken surrogate pair and drops direction overrides and controls', () => {
    expect(() => contentDisposition('attachment', `${'a'.repeat(99)}\ud83d.pdf`)).not.toThrow();
    expect(contentDisposition('attachment', `${'a'.repeat(3)}\ud83d.pdf`)).toBe(`attachment; filename="aaa.pdf"; filename*=UTF-8''aaa.pdf`);
    expect(contentDisposition('attachment', 'photo\u202egpj.exe')).toBe(
      `attachment; filename="photogpj.exe"; filename*=UTF-8''photogpj.exe`,
    );
    expect(contentDisposition('attachment', 'a\r\nSet-Cookie: x=1.pdf')).not.toMatch(/[\r\n]/);
    // RFC 8187: ' ( ) * are percent-encoded in the ext-value; the quoted name keeps no quote or backslash.
    expect(contentDisposition('attachment', `it's (live) "mix"\\*.mp3`)).toBe(
      `attachment; filename="it's (live) _mix__*.mp3"; filename*=UTF-8''it%27s%20%28live%29%20%22mix%22%5C%2A.mp3`,
    );
    expect(contentDisposition('attachment', '😀 ok.pdf')).toBe(`attachment; filename="__ ok.pdf"; filename*=UTF-8''%F0%9F%98%80%20ok.pdf`);
    expect(contentDisposition('inline', '\u202e')).toBe('inline');
  });
});
