import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { InjectAgent } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import { createCampaign } from '../src/campaigns/service.js';
import { campaignLinksWithSource } from '../src/smartlink/links.js';
import { storeFoundLinks } from '../src/smartlink/found-links.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const PW = 'correct horse battery';
const FOUND = 'https://www.deezer.com/album/302127';

/**
 * Who may accept, replace or remove a found store link (docs/store-links.md): the campaign's
 * workspace's editors, with the form's CSRF token. A viewer is refused (403), someone from another
 * workspace learns nothing (404), whichever workspace the address names; nothing changes.
 */
describe.each(testDialects())('found store links: who may change them (%s)', (dialect) => {
  let s: TestServer;
  const agents = {} as Record<'owner' | 'viewer' | 'rival', InjectAgent>;
  let campaignId: number;

  const links = () => campaignLinksWithSource(s.ctx.db, campaignId);

  beforeAll(async () => {
    s = await startTestServer(dialect);
    const { ctx } = s;
    const now = ctx.now();
    const users = {} as Record<keyof typeof agents, number>;
    for (const who of ['owner', 'viewer', 'rival'] as const) {
      users[who] = (await createUser(ctx.db, { email: `${who}@example.com`, password: PW, emailVerified: true }, now)).id;
    }
    const band = await createWorkspace(ctx.db, { slug: 'band', name: 'The Band', kind: 'artist' }, users.owner, now);
    await ctx.db
      .insertInto('workspace_members')
      .values({ workspace_id: band.id, user_id: users.viewer, role: 'viewer', created_at: now, updated_at: now })
      .execute();
    const rivals = await createWorkspace(ctx.db, { slug: 'rivals', name: 'Rivals', kind: 'artist' }, users.rival, now);
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const common = {
      artistName: 'The Band',
      title: 'Night Drive',
      upc: '036000291452',
      releaseAt: new Date(now + 30 * 86_400_000).toISOString().slice(0, 16),
      timezone: 'UTC',
      services: ['sandbox'],
    };
    campaignId = (await createCampaign(deps, { ...common, slug: 'night-drive' })).id;
    await setCampaignWorkspace(ctx.db, campaignId, band.id);
    const theirs = (await createCampaign(deps, { ...common, slug: 'their-drop' })).id;
    await setCampaignWorkspace(ctx.db, theirs, rivals.id);
    for (const id of [campaignId, theirs]) await storeFoundLinks(ctx.db, id, [{ service: 'deezer', url: FOUND, source: 'deezer' }], now);
    for (const [i, who] of (['owner', 'viewer', 'rival'] as const).entries()) {
      const a = new InjectAgent(s.app, `10.0.2.${i + 1}`);
      await a.get('/login');
      expect((await a.post('/login', { email: `${who}@example.com`, password: PW })).statusCode).toBe(303);
      agents[who] = a;
    }
  });
  afterAll(() => s?.close());

  const actions = ['accept', 'replace', 'remove'] as const;
  const form = { url: 'https://www.deezer.com/album/999' };

  it('a viewer of the workspace is refused (403) and nothing changes', async () => {
    const before = await links();
    await agents.viewer.get('/w/band/campaigns/night-drive/edit'); // a fresh CSRF token
    for (const action of actions) {
      const res = await agents.viewer.post(`/w/band/campaigns/night-drive/found-links/deezer/${action}`, form);
      expect(res.statusCode, action).toBe(403);
    }
    expect(await links()).toEqual(before);
  });

  it('someone from another workspace gets 404 through either workspace’s address, and nothing changes', async () => {
    const before = await links();
    await agents.rival.get('/w/rivals/campaigns/their-drop/edit');
    for (const action of actions) {
      for (const url of [
        `/w/rivals/campaigns/night-drive/found-links/deezer/${action}`, // their workspace, our campaign
        `/w/band/campaigns/night-drive/found-links/deezer/${action}`, // our workspace: not a member
      ]) {
        expect((await agents.rival.post(url, form)).statusCode, url).toBe(404);
      }
    }
    expect(await links()).toEqual(before);
  });

  it('an editor’s form without its CSRF token is refused; with it, the change is made', async () => {
    const before = await links();
    await agents.owner.get('/w/band/campaigns/night-drive/edit');
    const forged = await agents.owner.post('/w/band/campaigns/night-drive/found-links/deezer/remove', {}, { csrf: false });
    expect(forged.statusCode).toBe(403);
    expect(await links()).toEqual(before);
    const res = await agents.owner.post('/w/band/campaigns/night-drive/found-links/deezer/remove');
    expect(res.statusCode).toBe(303);
    expect((await links()).filter((l) => l.service === 'deezer')).toEqual([]);
  });
});
