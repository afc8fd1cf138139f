import { describe, expect, it } from 'vitest';
import { dueAtFor } from '../src/campaigns/timing.js';
import type { AppContext } from '../src/context.js';
import { enqueueMessage } from '../src/reach/messages/lifecycle/enqueue.js';
import { planMailMessages } from '../src/reach/messages/plan.js';
import { closeAfterEach } from './helpers/close-after-each.js';
import { testDialects } from './helpers/db.js';
import type { MailServer } from './helpers/mail-server.js';
import { messagesOf, reachCampaign, seedContact, startMailingServer } from './helpers/reach.js';
import type { TestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';

/**
 * The message engine delivers fans' mail through the delivery loop, to a real SMTP server
 * (test/helpers/mail-server.ts), each message parsed as received: the double opt-in
 * confirmation, and the release-day "out now" at the fan's release moment.
 */

function campaign(ctx: AppContext, slug: string, timing: 'global' | 'local', artworkUrl: string | null = null) {
  return reachCampaign(ctx, slug, { timing, timezone: 'Europe/London', artworkUrl });
}

describe.each(testDialects())('the message engine sends fans’ mail (%s)', (dialect) => {
  let server: TestServer | undefined;
  let smtp: MailServer | undefined;
  const closing = closeAfterEach();

  async function start(env: Record<string, string> = {}) {
    let offset = 0;
    const now = () => Date.now() + offset;
    ({ server, smtp } = closing(
      await startMailingServer(dialect, { MAIL_POSTAL_ADDRESS: '1 Harbour Street\nLeith EH6 6QQ', ...env }, now),
    ));
    return { ctx: server.ctx, url: server.url, now, move: (to: number) => (offset += to - now()) };
  }

  it('a confirmation goes at once (no unsubscribe: nothing subscribed yet); "out now" at the release instant, with the link and one-click unsubscribe', async () => {
    const { ctx, url, now, move } = await start();
    const c = await campaign(ctx, 'northern', 'global', 'https://img.example/art/northern.jpg');

    // A fan left an address a moment ago: the confirmation mail.
    const expires = now() + ctx.config.reach.contacts.confirmTtlMs;
    const ann = await seedContact(ctx, {
      campaignId: c.id,
      email: 'Ann@Example.COM',
      status: 'unconfirmed',
      confirmExpiresAt: expires,
      now: now(),
    });
    await enqueueMessage(
      ctx.db,
      {
        campaignId: c.id,
        type: 'confirm',
        channel: 'email',
        contactId: ann.contactId,
        dedupe: null,
        channelKey: 'mail:smtp',
        lang: 'en',
        dueAt: now(),
      },
      now(),
    );

    // A confirmed fan asked to be reminded: "out now" at the release instant.
    const ben = await seedContact(ctx, { campaignId: c.id, email: 'ben@example.com', now: now() });
    const plan = await planMailMessages(
      ctx,
      {
        campaign: c,
        contactId: ben.contactId,
        presaveId: null,
        timezone: 'Asia/Kolkata',
        lang: 'en',
      },
      now(),
    );
    expect(plan.outNow).not.toBeNull();

    const confirmation = smtp!.next('ann@example.com');
    server!.worker.start();
    const mail = await confirmation;
    expect(mail.parsed.subject).toBe('Confirm your address for Mira Vale');
    expect(mail.parsed.from?.value[0]).toMatchObject({ name: 'Dropday', address: 'hello@dropday.test' });
    const link = mail.links().find((l) => l.includes('/c/confirm/'));
    expect(link).toMatch(new RegExp(`^${url}/c/confirm/`));
    expect(mail.header('List-Unsubscribe')).toBeUndefined();
    expect(mail.parsed.text).toContain('Not you? Ignore this message');
    expect(mail.parsed.html).toContain(link!.replace(/&/g, '&amp;'));
    await waitFor(async () => (await messagesOf(ctx, ann.contactId))[0]?.status === 'sent', { what: 'the confirmation settled sent' });

    // Before the release nothing is sent to Ben.
    expect(await messagesOf(ctx, ben.contactId)).toMatchObject([{ type: 'out_now', status: 'pending', attempts: 0 }]);
    expect(smtp!.received.filter((m) => m.envelope.to.includes('ben@example.com'))).toHaveLength(0);

    // Global timing: one instant for everyone, whatever Ben's zone.
    const outNow = smtp!.next('ben@example.com');
    move(dueAtFor(c, 'UTC') + 1000);
    server!.worker.nudge();
    const out = await outNow;
    expect(out.parsed.subject).toBe('Northern Lights by Mira Vale is out now');
    expect(out.links()).toContain(`${url}/northern`);
    const manage = `${url}/c/${ben.manageId}`;
    expect(out.header('List-Unsubscribe')).toBe(`<${manage}/unsubscribe>`);
    expect(out.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(out.parsed.text).toContain(manage);
    expect(out.parsed.text).toContain('1 Harbour Street');
    expect(out.parsed.html).toContain('<img src="https://img.example/art/northern.jpg"');
    expect(out.parsed.html).toContain('Leith EH6 6QQ');
    expect(out.header('DKIM-Signature')).toBeUndefined();
    await waitFor(async () => (await messagesOf(ctx, ben.contactId))[0]?.status === 'sent', { what: 'out_now settled sent' });
    expect((await messagesOf(ctx, ben.contactId))[0]).toMatchObject({ status: 'sent', variant: 'none' });
    expect(smtp!.received.filter((m) => m.envelope.to.includes('ben@example.com'))).toHaveLength(1);
  });

  it('local timing: "out now" reaches each fan at their own midnight, not before, on the service they chose', async () => {
    const { ctx, url, now, move } = await start();
    const c = await campaign(ctx, 'local-lights', 'local');
    const kolkata = await seedContact(ctx, {
      campaignId: c.id,
      email: 'kolkata@example.com',
      timezone: 'Asia/Kolkata',
      service: 'youtube-music',
      now: now(),
    });
    const london = await seedContact(ctx, { campaignId: c.id, email: 'london@example.com', timezone: 'Europe/London', now: now() });
    for (const [fan, zone] of [
      [kolkata, 'Asia/Kolkata'],
      [london, 'Europe/London'],
    ] as const) {
      await planMailMessages(
        ctx,
        {
          campaign: c,
          contactId: fan.contactId,
          presaveId: null,
          timezone: zone,
          lang: 'en',
        },
        now(),
      );
    }
    const kolkataMidnight = dueAtFor(c, 'Asia/Kolkata');
    const londonMidnight = dueAtFor(c, 'Europe/London');
    expect(londonMidnight - kolkataMidnight).toBeGreaterThan(4 * 3_600_000);

    server!.worker.start();
    // Kolkata's midnight has come, London's has not: only the Kolkata fan hears.
    const first = smtp!.next('kolkata@example.com');
    move(kolkataMidnight + 1000);
    server!.worker.nudge();
    const mail = await first;
    expect(mail.links()).toContain(`${url}/local-lights/listen/youtube-music`);
    expect(mail.parsed.text).toContain('Listen on YouTube Music');
    await waitFor(async () => (await messagesOf(ctx, kolkata.contactId))[0]?.status === 'sent', { what: 'Kolkata sent' });
    expect(await messagesOf(ctx, london.contactId)).toMatchObject([{ status: 'pending', attempts: 0, next_attempt_at: londonMidnight }]);
    expect(smtp!.received.filter((m) => m.envelope.to.includes('london@example.com'))).toHaveLength(0);

    const second = smtp!.next('london@example.com');
    move(londonMidnight + 1000);
    server!.worker.nudge();
    await second;
  });
});
