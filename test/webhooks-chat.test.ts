import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatBody, chatKindOf } from '../src/webhooks/chat.js';
import { recordEvent } from '../src/webhooks/deliveries/index.js';
import { createEndpoint } from '../src/webhooks/endpoints.js';
import type { WebhookPayload } from '../src/webhooks/events.js';
import { apiWorkspace } from './helpers/api.js';
import { testDialects } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { found, WebhookReceiver } from './fakes/webhook-receiver/server.js';

const campaign = { slug: 'night-swim', title: 'Night Swim', artist: 'Glass Tides' };

describe('webhooks: Discord and Slack messages', () => {
  it('knows their incoming-webhook URLs, and nothing that only looks like them', () => {
    expect(chatKindOf('https://discord.com/api/webhooks/123/abc')).toBe('discord');
    expect(chatKindOf('https://discordapp.com/api/webhooks/123/abc')).toBe('discord');
    expect(chatKindOf('https://hooks.slack.com/services/T0/B0/xyz')).toBe('slack');
    expect(chatKindOf('http://hooks.slack.com/services/T0/B0/xyz')).toBeNull();
    expect(chatKindOf('https://hooks.slack.com.evil.example/services/T0')).toBeNull();
    expect(chatKindOf('https://discord.com/channels/1/2')).toBeNull();
    expect(chatKindOf('https://example.com/api/webhooks/1')).toBeNull();
  });

  it('says what happened to which campaign', () => {
    const p = (type: WebhookPayload['type'], data: Record<string, unknown>): WebhookPayload => ({
      type,
      timestamp: '2026-06-01T00:00:00.000Z',
      data,
    });
    expect(JSON.parse(chatBody('discord', p('presave.created', { campaign, presave: { service: 'spotify' } })))).toEqual({
      content: 'New pre-save of “Night Swim” by Glass Tides on Spotify.',
      allowed_mentions: { parse: [] },
    });
    expect(JSON.parse(chatBody('slack', p('campaign.delivered', { campaign, counts: { saved: 41, failed: 2, cancelled: 1 } })))).toEqual({
      text: 'Every pre-save of “Night Swim” by Glass Tides is done: 41 saved, 2 failed, 1 cancelled.',
    });
    expect(
      JSON.parse(chatBody('slack', p('presave.failed', { campaign, presave: { service: 'deezer', reason: 'The fan withdrew access' } })))
        .text,
    ).toBe('A pre-save of “Night Swim” by Glass Tides on Deezer could not be saved: The fan withdrew access.');
    expect(JSON.parse(chatBody('discord', p('campaign.released', { campaign }))).content).toBe('“Night Swim” by Glass Tides is out now.');
  });
});

describe.each(testDialects())('webhooks: chat messages delivered to a stand-in for Discord and Slack (%s)', (dialect) => {
  let server: TestServer;
  let discord: WebhookReceiver;
  let slack: WebhookReceiver;

  beforeAll(async () => {
    discord = await new WebhookReceiver().start();
    slack = await new WebhookReceiver().start();
    server = await startTestServer(dialect, {
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_DISCORD_BASE_URL: discord.url,
      WEBHOOK_SLACK_BASE_URL: slack.url,
    });
    server.worker.start();
  });
  afterAll(async () => {
    await server?.close();
    await discord?.close();
    await slack?.close();
  });

  it('the Discord URL gets {content}, the Slack URL gets {text}, at their paths', async () => {
    const { workspaceId } = await apiWorkspace(server.ctx, 'chat');
    const at = server.ctx.now();
    await createEndpoint(
      server.ctx,
      { workspaceId, url: 'https://discord.com/api/webhooks/42/tok', description: '', events: ['campaign.released'] },
      at,
    );
    await createEndpoint(
      server.ctx,
      { workspaceId, url: 'https://hooks.slack.com/services/T1/B2/tok', description: '', events: ['campaign.released'] },
      at,
    );
    await recordEvent(server.ctx.db, { workspaceId, type: 'campaign.released', dedupe: 'chat:1', occurredAt: at, data: { campaign } }, at);
    server.worker.nudge();
    const d = await found(async () => discord.received[0]);
    const s = await found(async () => slack.received[0]);
    expect(d.path).toBe('/api/webhooks/42/tok');
    expect(JSON.parse(d.body)).toEqual({ content: '“Night Swim” by Glass Tides is out now.', allowed_mentions: { parse: [] } });
    expect(s.path).toBe('/services/T1/B2/tok');
    expect(JSON.parse(s.body)).toEqual({ text: '“Night Swim” by Glass Tides is out now.' });
  });
});
