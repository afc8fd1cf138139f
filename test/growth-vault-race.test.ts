import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/repo.js';
import { countDownload } from '../src/growth/vault/downloads.js';
import { testDialects } from './helpers/db.js';
import { seedPresaves } from './helpers/presaves.js';
import { reachCampaign } from './helpers/reach.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { addFile, vaultOnPage } from './helpers/vault.js';

/**
 * The per-fan download limit is exact under concurrency, on each database: downloads started at
 * the same moment (PostgreSQL's READ COMMITTED lets concurrent statements read the same count)
 * never take more than VAULT_DOWNLOADS_PER_FAN between them, and none is refused while one is left.
 */
describe.each(testDialects())('the vault download limit under concurrency (%s)', (dialect) => {
  let server: TestServer;
  let campaign: Campaign;
  const clock = Date.now();

  beforeAll(async () => {
    server = await startTestServer(dialect, { VAULT_DOWNLOADS_PER_FAN: '3' }, () => clock);
    campaign = await reachCampaign(server.ctx, 'vault-race');
  });
  afterAll(async () => {
    await server?.close();
  });

  async function fan() {
    const [id] = await seedPresaves(server.ctx.db, {
      campaignId: campaign.id,
      count: 1,
      status: 'pending',
      dueAt: campaign.first_release_at,
      createdAt: clock,
    });
    return server.ctx.db.selectFrom('presaves').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
  }
  const rows = async (itemId: number, presaveId: number) =>
    server.ctx.db.selectFrom('vault_downloads').select('slot').where('item_id', '=', itemId).where('presave_id', '=', presaveId).execute();

  it('twenty downloads started at once take exactly the limit, numbered 1..limit', async () => {
    const item = await addFile(server.ctx, campaign.id, { title: 'Race A' });
    const f = await fan();
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(Array.from({ length: 20 }, () => countDownload(server.ctx.db, item.id, f.id, 3, clock)));
      expect(results.filter(Boolean).length).toBe(round === 0 ? 3 : 0);
    }
    const slots = (await rows(item.id, f.id)).map((r) => Number(r.slot)).sort();
    expect(slots).toEqual([1, 2, 3]);
  });

  it('concurrent starts share what is left without refusing one that fits', async () => {
    const item = await addFile(server.ctx, campaign.id, { title: 'Race B' });
    const f = await fan();
    // Two at once with three left: both are counted (a clash on the number is retried, not refused).
    const two = await Promise.all([
      countDownload(server.ctx.db, item.id, f.id, 3, clock),
      countDownload(server.ctx.db, item.id, f.id, 3, clock),
    ]);
    expect(two).toEqual([true, true]);
    expect((await rows(item.id, f.id)).length).toBe(2);
  });

  it('over HTTP: many simultaneous downloads of one link give exactly the limit of files, the rest 429', async () => {
    const item = await addFile(server.ctx, campaign.id, { title: 'Race C' });
    const f = await fan();
    const page = await fetch(`${server.url}/p/${f.public_id}?lang=en`);
    const link = vaultOnPage(await page.text()).get(item.id)!.href!;
    const answers = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const res = await fetch(`${server.url}${link}`);
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(answers.filter((s) => s === 200).length).toBe(3);
    expect(answers.filter((s) => s === 429).length).toBe(9);
    expect((await rows(item.id, f.id)).length).toBe(3);
  });
});
