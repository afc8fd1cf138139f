import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCampaignWorkspace } from '../src/accounts/campaigns.js';
import { createUser } from '../src/accounts/users.js';
import { createWorkspace } from '../src/accounts/workspaces.js';
import { envFor, runCli } from './helpers/cli.js';
import { testDialects } from './helpers/db.js';
import { bandCampaign, seedContactWithConsent, seedMessages } from './helpers/reach-seed.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;
/** The `dropday` process reads the real clock: "scheduled" must be ahead of it too. */
const FAR = Date.UTC(2099, 0, 1);

/**
 * The operator's side of reach in the real `dropday` process (build first: `npm run build`):
 * `contacts export` for a workspace or a CLI campaign (to stdout or a 0600 file, the count on
 * stderr), its mistakes named, and `status` showing the campaign's message queue per channel.
 */
describe.each(testDialects())('reach in the CLI (%s)', (dialect) => {
  let server: TestServer;
  let env: Record<string, string>;
  const clock = Date.UTC(2026, 6, 1, 12, 0);
  const t = clock - DAY;

  beforeAll(async () => {
    server = await startTestServer(dialect, {}, () => clock);
    env = envFor(server.testDb, { PORT: new URL(server.url).port });
    const { ctx } = server;
    const owner = await createUser(ctx.db, { email: 'owner@example.com', password: 'correct horse battery' }, clock);
    const ws = await createWorkspace(ctx.db, { slug: 'band', name: 'The Band', kind: 'artist' }, owner.id, clock);
    const cli = await bandCampaign(ctx, 'cli-drop', '036000291452', clock);
    const inWs = await bandCampaign(ctx, 'ws-drop', '012345678905', clock);
    await setCampaignWorkspace(ctx.db, inWs.id, ws.id);

    const contacts = [
      { audience: `c:${cli.id}`, email: 'cli-fan@example.net', campaignId: cli.id, purpose: 'news' },
      { audience: `w:${ws.id}`, email: '+ws-fan@example.net', campaignId: inWs.id, purpose: 'news' },
      { audience: `w:${ws.id}`, email: 'remind-only@example.net', campaignId: inWs.id, purpose: 'remind' },
    ] as const;
    for (const c of contacts) await seedContactWithConsent(ctx, { ...c, at: t });

    // The queue `status` reports: per channel, sent, scheduled (due after the real clock), not sent and failed.
    const messages = [
      { type: 'confirm', channel: 'email', status: 'sent', count: 3, dueAt: t },
      { type: 'out_now', channel: 'email', status: 'pending', count: 2, dueAt: FAR },
      { type: 'out_now', channel: 'email', status: 'not_sent', reason: 'no_mail_configured', dueAt: t },
      { type: 'out_now', channel: 'push', status: 'failed', reason: 'gone', dueAt: t },
    ] as const;
    for (const m of messages) await seedMessages(ctx, { campaignId: cli.id, at: t, ...m });
  });
  afterAll(() => server.close());

  it('exports a CLI campaign’s and a workspace’s news contacts; the count on stderr, never an address', async () => {
    const own = await runCli(['contacts', 'export', '--campaign', 'cli-drop'], env);
    expect(own.code, own.stderr).toBe(0);
    const lines = own.stdout.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Email Address,Language,Consent Time,Confirmation Time,Consent Source,Consent Text,Consent Version,Tags');
    expect(lines[1]).toBe(
      `cli-fan@example.net,en,${new Date(t).toISOString()},${new Date(t).toISOString()},cli-drop (campaign page),Send me news from The Band,contact.news.v1,"dropday,news,cli-drop"`,
    );
    expect(lines.length).toBe(3);
    expect(own.stderr).toContain('Exported 1 contact who agreed to news (campaign cli-drop).');
    expect(own.stderr).not.toContain('@example.net');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-contacts-'));
    const file = path.join(dir, 'band.csv');
    const ws = await runCli(['contacts', 'export', '--workspace', 'band', '--out', file], env);
    expect(ws.code, ws.stderr).toBe(0);
    expect(ws.stdout).toBe('');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    // Formula-safe; the reminder-only contact is not in a news export.
    expect(text).toContain("'+ws-fan@example.net,en,");
    expect(text).not.toContain('remind-only@');
    expect(text).not.toContain('cli-fan@');
    expect(ws.stderr).toContain('Exported 1 contact who agreed to news (workspace band).');
    fs.rmSync(dir, { recursive: true });
  });

  it('names the mistake: no target, both, an unknown workspace, a workspace campaign by --campaign', async () => {
    const none = await runCli(['contacts', 'export'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--workspace: give exactly one of --workspace or --campaign/);
    const both = await runCli(['contacts', 'export', '--workspace', 'band', '--campaign', 'cli-drop'], env);
    expect(both.code).toBe(2);
    const unknown = await runCli(['contacts', 'export', '--workspace', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--workspace: there is no workspace "nope"/);
    const wrong = await runCli(['contacts', 'export', '--campaign', 'ws-drop'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--campaign: belongs to a workspace/);
    expect(wrong.stdout).toBe('');
  });

  it('status shows the message queue per channel, with reasons in words', async () => {
    const text = await runCli(['status', 'cli-drop'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('messages email    scheduled 2, sending 0, sent 3, not delivered 1, cancelled 0');
    expect(text.stdout).toContain('not delivered × 1: Not sent: no mail server is configured');
    expect(text.stdout).toContain('messages web push scheduled 0, sending 0, sent 0, not delivered 1, cancelled 0');
    expect(text.stdout).toContain('not delivered × 1: Push subscription gone');
    const json = JSON.parse((await runCli(['status', 'cli-drop', '--json'], env)).stdout);
    expect(json.messages.email).toMatchObject({ scheduled: 2, sent: 3, notDelivered: 1, reasons: { no_mail_configured: 1 } });
    expect(json.messages.push).toMatchObject({ notDelivered: 1, reasons: { gone: 1 } });
    // A campaign without messages says nothing about them.
    expect((await runCli(['status', 'ws-drop'], env)).stdout).not.toContain('messages');
  });
});
