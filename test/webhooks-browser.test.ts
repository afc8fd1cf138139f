import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordEvent } from '../src/webhooks/deliveries/index.js';
import { createWorkspace, signUp } from './helpers/account.js';
import { CHROMIUM, openPage, withServerAndBrowser } from './helpers/browser.js';
import { testDialects } from './helpers/db.js';
import { startTestServer } from './helpers/server.js';
import { waitFor } from './helpers/wait.js';
import { WebhookReceiver } from './fakes/webhook-receiver/server.js';

/**
 * The webhooks settings in Chromium, as an owner uses them: a refused address is said next to the
 * field with nothing stored; an endpoint added with its events shows its secret once, and a
 * delivery signed with it verifies; rotating shows a new secret; the delivery log shows the event,
 * its id and the code, and "Send again" sends the same id again; turning off and deleting work.
 */
describe.skipIf(!fs.existsSync(CHROMIUM)).each(testDialects())('webhooks settings in Chromium (%s)', (dialect) => {
  let rx: WebhookReceiver;
  const s = withServerAndBrowser(async () => {
    rx = await new WebhookReceiver().start();
    const server = await startTestServer(dialect, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
    server.worker.start();
    return { ...server, close: async () => (await server.close(), await rx.close()) };
  });

  it('add (secret once) → a verified delivery in the log → send again → rotate → turn off → delete', async () => {
    const { page, context, errors } = await openPage(s.browser);
    try {
      const base = s.server.url;
      await signUp(page, base);
      await createWorkspace(page, { name: 'Hook Label', slug: 'hook-label' });
      await page.goto(`${base}/w/hook-label/members`);
      await page.getByRole('link', { name: 'Manage webhooks' }).click();
      await page.waitForURL(`${base}/w/hook-label/webhooks`);

      // A mistake: no event chosen, and a URL that is not http(s). Both said; nothing stored.
      await page.getByLabel('URL').fill('ftp://files.example.com/in');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await expect.poll(() => page.locator('#events-error').textContent()).toBe('choose at least one event');
      expect(await s.server.ctx.db.selectFrom('webhook_endpoints').select('id').execute()).toHaveLength(0);
      expect(await page.getByLabel('URL').inputValue()).toBe('ftp://files.example.com/in');

      await page.getByLabel('URL').fill(`${rx.url}/crm`);
      await page.getByLabel('Description (optional)').fill('Our CRM');
      await page.getByRole('checkbox', { name: /campaign\.released/ }).check();
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = (await page.locator('[data-secret]').textContent())!;
      expect(secret).toMatch(/^whsec_/);
      expect(await page.locator('[data-endpoint]').count()).toBe(1);
      expect(await page.locator('[data-endpoint] td').nth(1).textContent()).toBe('campaign.released');
      // Shown once: the page again does not show it.
      await page.goto(`${base}/w/hook-label/webhooks`);
      expect(await page.locator('[data-secret]').count()).toBe(0);
      expect(await page.content()).not.toContain(secret);

      // An event: delivered and verified with the secret the page showed.
      rx.secrets = [secret];
      const ws = await s.server.ctx.db.selectFrom('workspaces').select('id').where('slug', '=', 'hook-label').executeTakeFirstOrThrow();
      const at = s.server.ctx.now();
      const ev = await recordEvent(
        s.server.ctx.db,
        { workspaceId: Number(ws.id), type: 'campaign.released', dedupe: 'ui:1', occurredAt: at, data: {} },
        at,
      );
      s.server.worker.nudge();
      await waitFor(async () => rx.received.length === 1);
      expect(rx.received[0]!.verdicts).toEqual([true]);

      await page.getByRole('link', { name: 'Delivery log' }).click();
      await expect
        .poll(async () => {
          await page.reload();
          return page.locator('[data-delivery] [data-status]').textContent();
        })
        .toBe('delivered');
      const row = page.locator('[data-delivery]');
      expect(await row.locator('td').nth(0).textContent()).toBe('campaign.released');
      expect(await row.locator('td').nth(1).textContent()).toBe(ev!.msgId);
      expect(await row.locator('td').nth(4).textContent()).toBe('200');
      await row.getByRole('button', { name: 'Send again' }).click();
      await page.getByText('Queued to be sent again, under the same id.').waitFor();
      s.server.worker.nudge();
      await waitFor(async () => rx.received.length === 2);
      expect(rx.received[1]!.headers['webhook-id']).toBe(ev!.msgId);

      // Rotate: a new secret, shown once; both sign for a day.
      await page.getByRole('link', { name: 'All endpoints' }).click();
      await page.getByRole('button', { name: 'Rotate secret' }).click();
      await page.getByRole('heading', { name: 'New signing secret' }).waitFor();
      const rotated = (await page.locator('[data-secret]').textContent())!;
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);

      await page.getByRole('button', { name: 'Turn off' }).click();
      await page.getByText('Endpoint turned off.').waitFor();
      expect(await page.locator('[data-endpoint] [data-state]').getAttribute('data-state')).toBe('off');
      // Deleting asks first (turning off is the way to pause); Cancel keeps it.
      await page.getByRole('link', { name: 'Delete…' }).click();
      await page.getByRole('heading', { name: 'Delete this endpoint?' }).waitFor();
      await page.getByRole('link', { name: 'Cancel' }).click();
      expect(await page.locator('[data-endpoint]').count()).toBe(1);
      await page.getByRole('link', { name: 'Delete…' }).click();
      await page.getByRole('button', { name: 'Delete endpoint' }).click();
      await page.getByText('Endpoint deleted.').waitFor();
      expect(await s.server.ctx.db.selectFrom('webhook_endpoints').select('id').execute()).toHaveLength(0);
      // The refused form's 400 is the one the browser logs; nothing else went wrong in the page.
      expect(errors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    } finally {
      await context.close();
    }
  }, 90_000);
});
