import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCampaignInWorkspace, campaignsOfWorkspace, operatorCampaigns, setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { canEdit, canManageMembers, type Role } from '../src/accounts/roles.js';
import { InjectAgent, captureLog } from '../src/accounts/testing.js';
import { createUser } from '../src/accounts/users.js';
import { buildApp } from '../src/app.js';
import { createContext } from '../src/bootstrap.js';
import { createCampaign } from '../src/campaigns/service.js';
import type { AppContext } from '../src/context.js';
import { registerAuth, requireRole, workspaceOf } from '../src/web/auth-hooks.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const PW = 'correct horse battery';
type Who = 'owner' | 'admin' | 'editor' | 'viewer' | 'outsider' | 'operator';
const EMAIL: Record<Who, string> = {
  owner: 'owner@example.com',
  admin: 'admin@example.com',
  editor: 'editor@example.com',
  viewer: 'viewer@example.com',
  outsider: 'outsider@example.com',
  operator: 'operator@example.com',
};

describe.each(testDialects())('workspace roles through HTTP (%s)', (dialect) => {
  let t: TestDb;
  let ctx: AppContext & { close(): Promise<void> };
  let app: FastifyInstance;
  const logs = captureLog();
  const agents = {} as Record<Who, InjectAgent>;
  const ids = {} as Record<Who, number>;

  async function signIn(who: Who): Promise<InjectAgent> {
    const a = new InjectAgent(app, `10.0.0.${Object.keys(EMAIL).indexOf(who) + 1}`);
    await a.get('/login');
    expect((await a.post('/login', { email: EMAIL[who], password: PW })).statusCode).toBe(303);
    return a;
  }

  async function members(slug = 'band'): Promise<Record<string, string>> {
    const rows = await ctx.db
      .selectFrom('workspace_members')
      .innerJoin('workspaces', 'workspaces.id', 'workspace_members.workspace_id')
      .innerJoin('users', 'users.id', 'workspace_members.user_id')
      .select(['users.email', 'workspace_members.role'])
      .where('workspaces.slug', '=', slug)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.email, r.role]));
  }

  /** POSTs as `who` with a fresh token from the members page (or the workspaces page when they cannot see it). */
  async function act(who: Who, url: string, form: Record<string, string> = {}) {
    const a = agents[who];
    const page = await a.get('/w/band/members');
    if (page.statusCode !== 200) await a.get('/workspaces');
    return a.post(url, form);
  }

  beforeAll(async () => {
    t = await createTestDb(dialect);
    ctx = await createContext(t.config, { log: logs.log });
    app = await buildApp(ctx);
    await registerAuth(app, ctx);
    // What the campaign editor will look like: an editor-only route using the exported helpers.
    app.post<{ Params: { workspace: string; slug: string } }>(
      '/w/:workspace/campaigns/:slug/touch',
      { preHandler: requireRole('editor') },
      async (req) => {
        const { workspace } = workspaceOf(req);
        const c = await assertCampaignInWorkspace(ctx.db, workspace.id, { slug: req.params.slug });
        return { ok: true, slug: c.slug };
      },
    );
    // Accounts whose addresses are confirmed (test/auth-verification covers confirming).
    for (const who of Object.keys(EMAIL) as Who[]) {
      const input = { email: EMAIL[who], password: PW, instanceAdmin: who === 'operator', emailVerified: true };
      ids[who] = (await createUser(ctx.db, input, ctx.now())).id;
    }
    agents.owner = await signIn('owner');
    await agents.owner.get('/workspaces');
    expect((await agents.owner.post('/workspaces', { name: 'The Band', slug: 'band', kind: 'artist' })).statusCode).toBe(303);
    // Invite admin, editor and viewer by email; each accepts through the mailed (logged) link.
    for (const who of ['admin', 'editor', 'viewer'] as const) {
      await agents.owner.get('/w/band/members');
      const inv = await agents.owner.post('/w/band/invitations', { email: EMAIL[who], role: who });
      // No SMTP_URL in tests: the page answers with the link to pass on (and why), not a redirect.
      expect(inv.statusCode, who).toBe(200);
      expect(inv.body, who).toContain('No invitation mail was sent: this server has no mail configured (SMTP_URL is not set).');
      const link = new URL(logs.lastLinkTo(EMAIL[who]));
      agents[who] = await signIn(who);
      const page = await agents[who].get(link.pathname);
      expect(page.body).toContain('Join The Band');
      const accept = await agents[who].post(link.pathname);
      expect(accept.statusCode).toBe(303);
      expect(accept.headers.location).toBe('/w/band/members?done=joined');
    }
    agents.outsider = await signIn('outsider');
    agents.operator = await signIn('operator');
    expect(await members()).toEqual({ [EMAIL.owner]: 'owner', [EMAIL.admin]: 'admin', [EMAIL.editor]: 'editor', [EMAIL.viewer]: 'viewer' });
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await t.drop();
  });

  it('role helpers', () => {
    expect((['viewer', 'editor', 'admin', 'owner'] as Role[]).map(canEdit)).toEqual([false, true, true, true]);
    expect((['viewer', 'editor', 'admin', 'owner'] as Role[]).map(canManageMembers)).toEqual([false, false, true, true]);
  });

  it('reading the members page: every member; outsiders get 404; operators read-only; controls only for who may use them', async () => {
    const expected: Record<Who, number> = { owner: 200, admin: 200, editor: 200, viewer: 200, outsider: 404, operator: 200 };
    for (const who of Object.keys(expected) as Who[]) {
      const res = await agents[who].get('/w/band/members');
      expect(res.statusCode, who).toBe(expected[who]);
      if (res.statusCode !== 200) continue;
      const invite = res.body.includes('action="/w/band/invitations"');
      const roleForms = res.body.includes('/role"');
      expect(invite, `${who} sees the invite form`).toBe(who === 'owner' || who === 'admin');
      expect(roleForms, `${who} sees role controls`).toBe(who === 'owner' || who === 'admin');
      expect(res.body.includes('action="/w/band/delete"'), `${who} sees delete`).toBe(who === 'owner');
    }
    expect((await agents.viewer.get('/w/nope/members')).statusCode).toBe(404);
  });

  it('inviting: owner and admin may; editor, viewer, operator may not; outsiders do not see the workspace', async () => {
    const expected: Record<Who, number> = { owner: 200, admin: 200, editor: 403, viewer: 403, outsider: 404, operator: 403 };
    for (const who of Object.keys(expected) as Who[]) {
      const res = await act(who, '/w/band/invitations', { email: `from-${who}@example.com`, role: 'viewer' });
      expect(res.statusCode, who).toBe(expected[who]);
    }
    const invited = (await ctx.db.selectFrom('workspace_invitations').select('email').execute()).map((r) => r.email).sort();
    expect(invited).toEqual(['from-admin@example.com', 'from-owner@example.com']);
    // An admin cannot invite an owner; an owner can.
    expect((await act('admin', '/w/band/invitations', { email: 'new-owner@example.com', role: 'owner' })).statusCode).toBe(403);
    expect((await act('owner', '/w/band/invitations', { email: 'new-owner@example.com', role: 'owner' })).statusCode).toBe(200);
    // Withdrawing: admin+ only.
    const inv = await ctx.db
      .selectFrom('workspace_invitations')
      .select('id')
      .where('email', '=', 'new-owner@example.com')
      .executeTakeFirstOrThrow();
    expect((await act('editor', `/w/band/invitations/${inv.id}/revoke`)).statusCode).toBe(403);
    expect((await act('admin', `/w/band/invitations/${inv.id}/revoke`)).statusCode).toBe(303);
    expect(await ctx.db.selectFrom('workspace_invitations').select('id').where('id', '=', inv.id).execute()).toHaveLength(0);
  });

  it('editing campaigns (requireRole editor): editor and up; a campaign of another workspace is not found', async () => {
    const deps = { db: ctx.db, now: ctx.now, enabledServices: ctx.providers.enabled() };
    const mine = await createCampaign(deps, {
      slug: 'band-single',
      artistName: 'B',
      title: 'S',
      upc: '036000291452',
      releaseAt: '2028-06-01',
      services: ['sandbox'],
    });
    const cli = await createCampaign(deps, {
      slug: 'cli-made',
      artistName: 'C',
      title: 'S',
      upc: '036000291452',
      releaseAt: '2028-06-01',
      services: ['sandbox'],
    });
    const band = await ctx.db.selectFrom('workspaces').select('id').where('slug', '=', 'band').executeTakeFirstOrThrow();
    await setCampaignWorkspace(ctx.db, mine.id, Number(band.id));
    expect((await campaignsOfWorkspace(ctx.db, Number(band.id))).map((c) => c.slug)).toEqual(['band-single']);
    expect((await operatorCampaigns(ctx.db)).map((c) => c.slug)).toEqual(['cli-made']);
    void cli;
    const expected: Record<Who, number> = { owner: 200, admin: 200, editor: 200, viewer: 403, outsider: 404, operator: 403 };
    for (const who of Object.keys(expected) as Who[]) {
      const res = await act(who, '/w/band/campaigns/band-single/touch');
      expect(res.statusCode, who).toBe(expected[who]);
    }
    expect((await act('editor', '/w/band/campaigns/cli-made/touch')).statusCode).toBe(404);
  });

  it('changing roles: admin manages non-owners only and cannot make owners; editor and viewer cannot', async () => {
    const before = await members();
    expect((await act('viewer', `/w/band/members/${ids.editor}/role`, { role: 'viewer' })).statusCode).toBe(403);
    expect((await act('editor', `/w/band/members/${ids.viewer}/role`, { role: 'editor' })).statusCode).toBe(403);
    expect((await act('admin', `/w/band/members/${ids.owner}/role`, { role: 'viewer' })).statusCode).toBe(403);
    expect((await act('admin', `/w/band/members/${ids.viewer}/role`, { role: 'owner' })).statusCode).toBe(403);
    expect((await act('operator', `/w/band/members/${ids.viewer}/role`, { role: 'editor' })).statusCode).toBe(403);
    expect((await act('outsider', `/w/band/members/${ids.viewer}/role`, { role: 'editor' })).statusCode).toBe(404);
    expect(await members()).toEqual(before);
    expect((await act('admin', `/w/band/members/${ids.viewer}/role`, { role: 'editor' })).statusCode).toBe(303);
    expect((await members())[EMAIL.viewer]).toBe('editor');
    expect((await act('owner', `/w/band/members/${ids.viewer}/role`, { role: 'viewer' })).statusCode).toBe(303);
    expect((await members())[EMAIL.viewer]).toBe('viewer');
    // Nobody changes their own role.
    expect((await act('admin', `/w/band/members/${ids.admin}/role`, { role: 'owner' })).statusCode).toBe(403);
  });

  it('removing members: admin cannot remove an owner; editor and viewer cannot remove anyone', async () => {
    const before = await members();
    expect((await act('admin', `/w/band/members/${ids.owner}/remove`)).statusCode).toBe(403);
    expect((await act('editor', `/w/band/members/${ids.viewer}/remove`)).statusCode).toBe(403);
    expect((await act('viewer', `/w/band/members/${ids.editor}/remove`)).statusCode).toBe(403);
    expect((await act('operator', `/w/band/members/${ids.viewer}/remove`)).statusCode).toBe(403);
    expect(await members()).toEqual(before);
  });

  it('the last owner cannot leave, be downgraded or removed; with a second owner they can leave', async () => {
    expect((await act('owner', '/w/band/leave')).statusCode).toBe(403);
    expect((await act('owner', `/w/band/members/${ids.owner}/remove`)).statusCode).toBe(403);
    expect((await members())[EMAIL.owner]).toBe('owner');
    // Transfer: owner only.
    expect((await act('admin', '/w/band/transfer', { userId: String(ids.editor) })).statusCode).toBe(403);
    expect((await act('owner', '/w/band/transfer', { userId: String(ids.admin) })).statusCode).toBe(303);
    expect((await members())[EMAIL.admin]).toBe('owner');
    expect((await members())[EMAIL.owner]).toBe('admin');
    // The new (only) owner cannot downgrade themselves out of ownership.
    expect((await act('admin', `/w/band/members/${ids.admin}/role`, { role: 'admin' })).statusCode).toBe(403);
    expect((await act('admin', '/w/band/leave')).statusCode).toBe(403);
    // Two owners: one may step down.
    expect((await act('admin', `/w/band/members/${ids.owner}/role`, { role: 'owner' })).statusCode).toBe(303);
    expect((await act('owner', `/w/band/members/${ids.admin}/role`, { role: 'admin' })).statusCode).toBe(303);
    expect(await members()).toMatchObject({ [EMAIL.owner]: 'owner', [EMAIL.admin]: 'admin' });
  });

  it('members may leave; renaming needs admin; deleting needs owner and keeps campaigns for the operators', async () => {
    expect((await act('viewer', '/w/band/rename', { name: 'Renamed' })).statusCode).toBe(403);
    expect((await act('admin', '/w/band/rename', { name: 'The Band (renamed)' })).statusCode).toBe(303);
    expect((await act('viewer', '/w/band/leave')).statusCode).toBe(303);
    expect((await members())[EMAIL.viewer]).toBeUndefined();
    expect((await agents.viewer.get('/w/band/members')).statusCode).toBe(404);
    expect((await act('admin', '/w/band/delete', { confirm: 'band' })).statusCode).toBe(403);
    expect((await act('editor', '/w/band/delete', { confirm: 'band' })).statusCode).toBe(403);
    expect((await act('owner', '/w/band/delete', { confirm: 'wrong' })).statusCode).toBe(400);
    expect((await act('owner', '/w/band/delete', { confirm: 'band' })).statusCode).toBe(303);
    expect(await ctx.db.selectFrom('workspaces').select('id').where('slug', '=', 'band').execute()).toHaveLength(0);
    const c = await ctx.db
      .selectFrom('campaigns')
      .select(['slug', 'workspace_id'])
      .where('slug', '=', 'band-single')
      .executeTakeFirstOrThrow();
    expect(c.workspace_id).toBeNull();
  });

  it('invitations: only the invited email can accept, once; an expired or unknown link is refused', async () => {
    await agents.owner.get('/workspaces');
    expect((await agents.owner.post('/workspaces', { name: 'Label', slug: 'label', kind: 'label' })).statusCode).toBe(303);
    await agents.owner.get('/w/label/members');
    expect((await agents.owner.post('/w/label/invitations', { email: EMAIL.editor, role: 'editor' })).statusCode).toBe(200);
    const link = new URL(logs.lastLinkTo(EMAIL.editor)).pathname;
    // Signed out: the page offers sign-in / sign-up; accepting needs a session.
    const anon = new InjectAgent(app);
    const page = await anon.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Create an account');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // Someone else signed in cannot take it.
    await agents.outsider.get(link);
    const wrong = await agents.outsider.post(link);
    expect(wrong.statusCode).toBe(403);
    expect(await members('label')).toEqual({ [EMAIL.owner]: 'owner' });
    await agents.editor.get(link);
    expect((await agents.editor.post(link)).statusCode).toBe(303);
    expect(await members('label')).toMatchObject({ [EMAIL.editor]: 'editor' });
    expect((await agents.editor.get(link)).statusCode).toBe(404);
    expect((await anon.get('/invite/not-a-real-token')).statusCode).toBe(404);
    // Inviting someone already in the workspace is a clear validation error.
    await agents.owner.get('/w/label/members');
    const again = await agents.owner.post('/w/label/invitations', { email: EMAIL.editor, role: 'viewer' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('already a member');
  });
});
