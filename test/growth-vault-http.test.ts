import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../src/campaigns/repo.js';
import { ValidationError } from '../src/errors.js';
import { signedPath } from '../src/growth/signed-links.js';
import { BlobStoreError, blobStore, setBlobStore, type BlobStore } from '../src/growth/storage/index.js';
import { S3BlobStore } from '../src/growth/storage/s3.js';
import { removeVaultItem, vaultItems } from '../src/growth/vault/items.js';
import { vaultReport } from '../src/growth/vault/report.js';
import { erasePresave } from '../src/presaves/lifecycle/erase.js';
import { findPresaveByPublicId } from '../src/presaves/repo.js';
import { confirmConsents, recordConsents } from '../src/reach/consents.js';
import { testDialects } from './helpers/db.js';
import { seedPresaves } from './helpers/presaves.js';
import { reachCampaign } from './helpers/reach.js';
import { insertContact } from './helpers/reach-seed.js';
import { startS3, type LocalS3 } from './helpers/s3rver.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { addFile, addLink, pdfBytes, vaultOnPage } from './helpers/vault.js';

/**
 * The vault's done-when over real HTTP, on each database and with each blob store (local disk and
 * S3 through s3rver): every unlock rule opens an item only for a fan who qualifies; a download link
 * works for its receipt only, stops at expiry (the injected clock moves) and when changed; the
 * per-fan limit answers 429 in words; ranges work and a resume is not another download; what an
 * artist adds wrongly is refused naming the field with nothing stored; erasure takes the fan's rows.
 */
const MIN = 60_000;

describe.each(testDialects())('the vault over HTTP (%s)', (dialect) => {
  describe.each(['local', 's3'] as const)('with the %s blob store', (kind) => {
    let server: TestServer;
    let s3: LocalS3 | null = null;
    let clock = Date.now();
    let campaign: Campaign;
    let n = 0;
    const puts: string[] = [];
    const deletes: string[] = [];
    /** The store is unreachable (an S3 outage): its reads fail as the S3 store's do. */
    let down = false;
    const outage = () => Promise.reject(new BlobStoreError('S3 GET: storage.example could not be reached (timeout)'));

    beforeAll(async () => {
      server = await startTestServer(dialect, { VAULT_DOWNLOADS_PER_FAN: '2', VAULT_LINK_TTL_MINUTES: '10' }, () => clock);
      let real: BlobStore = blobStore(server.ctx);
      if (kind === 's3') {
        s3 = await startS3();
        real = new S3BlobStore(s3.settings, 5_000);
      }
      // The real store, watched: what was put and deleted.
      const watched: BlobStore = {
        kind: real.kind,
        put: (key, file, o) => (puts.push(key), real.put(key, file, o)),
        get: (key, range) => (down ? outage() : real.get(key, range)),
        size: (key) => (down ? outage() : real.size(key)),
        delete: (key) => (deletes.push(key), real.delete(key)),
      };
      setBlobStore(server.ctx, watched);
      campaign = await reachCampaign(server.ctx, `vault-${kind}`);
    });
    afterAll(async () => {
      await server?.close();
      await s3?.close();
    });

    async function fan(status: 'pending' | 'saved' | 'failed' = 'pending') {
      const [id] = await seedPresaves(server.ctx.db, {
        campaignId: campaign.id,
        count: 1,
        status,
        dueAt: campaign.first_release_at,
        createdAt: clock,
      });
      const row = await server.ctx.db.selectFrom('presaves').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
      return row;
    }
    const receipt = async (publicId: string) => {
      const res = await fetch(`${server.url}/p/${publicId}?lang=en`);
      expect(res.status).toBe(200);
      return vaultOnPage(await res.text());
    };
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

    it('each unlock rule opens an item only for a fan who qualifies, and says what unlocks it otherwise', async () => {
      const forPresave = await addFile(server.ctx, campaign.id, { title: 'Liner notes', unlock: 'presave' });
      const forContact = await addFile(server.ctx, campaign.id, { title: 'Demo tape', unlock: 'contact' }, pdfBytes(900), 'demo.pdf');
      const forReferrals = await addFile(server.ctx, campaign.id, { title: 'Stems', unlock: 'referrals', referrals: '2' });
      const atRelease = await addLink(server.ctx, campaign.id, {
        title: 'Secret show',
        unlock: 'release',
        url: 'https://example.com/secret-show',
      });

      const pending = await fan('pending');
      const failed = await fan('failed');
      let page = await receipt(pending.public_id);
      expect(page.get(forPresave.id)).toMatchObject({ state: 'unlocked' });
      expect(page.get(forPresave.id)!.text).toMatch(/Liner notes Document · PDF · 4 kB Download 2 downloads left/);
      expect(page.get(forContact.id)).toMatchObject({ state: 'locked', href: null });
      expect(page.get(forContact.id)!.text).toContain('Unlocks when you confirm your email address for a reminder on this page.');
      expect(page.get(forReferrals.id)!.text).toContain("Unlocks when 2 friends' pre-saves are verified through your link — you have 0.");
      expect(page.get(atRelease.id)).toMatchObject({ state: 'locked' });
      expect(page.get(atRelease.id)!.text).toContain('Unlocks at the release:');
      // A pre-save that failed does not stand: even the pre-save item stays locked, with its rule.
      page = await receipt(failed.public_id);
      expect(page.get(forPresave.id)).toMatchObject({ state: 'locked', href: null });
      expect(page.get(forPresave.id)!.text).toContain('Unlocks for fans whose pre-save is on its way to their library.');

      // Contact: an address left on this pre-save opens it only once its owner confirmed it.
      const contactFan = await fan('pending');
      const { contactId } = await insertContact(server.ctx, {
        audience: `c:${campaign.id}`,
        email: `fan${++n}@example.org`,
        status: 'unconfirmed',
        campaignId: campaign.id,
        at: clock,
      });
      await recordConsents(
        server.ctx.db,
        { contactId },
        [
          {
            purpose: 'remind',
            text: 'Remind me',
            textVersion: 'v1',
            lang: 'en',
            page: 'receipt',
            campaignId: campaign.id,
            presaveId: contactFan.id,
            timezone: 'UTC',
          },
        ],
        clock,
      );
      expect((await receipt(contactFan.public_id)).get(forContact.id)!.state).toBe('locked');
      await confirmConsents(server.ctx.db, contactId, clock, clock);
      expect((await receipt(contactFan.public_id)).get(forContact.id)!.state).toBe('unlocked');

      // Referrals: only counted ones (verified saves, not excluded) reach N.
      const referrer = await fan('pending');
      const code = `code-${kind}-${dialect}`;
      await server.ctx.db
        .insertInto('referral_codes')
        .values({
          code,
          campaign_id: campaign.id,
          presave_id: referrer.id,
          contact_id: null,
          display_name: null,
          account_key: null,
          browser_key: null,
          device_key: null,
          network_key: null,
          created_at: clock,
        })
        .execute();
      const refer = async (status: 'pending' | 'saved', decision: 'ok' | 'excluded') => {
        const friend = await fan(status);
        await server.ctx.db
          .insertInto('referrals')
          .values({
            campaign_id: campaign.id,
            code,
            presave_id: friend.id,
            account_key: `acct-${friend.id}`,
            browser_key: null,
            device_key: null,
            network_key: null,
            decision,
            reason: decision === 'excluded' ? 'same_account' : null,
            created_at: clock,
            decided_at: null,
          })
          .execute();
      };
      await refer('saved', 'ok');
      await refer('pending', 'ok');
      await refer('saved', 'excluded');
      page = await receipt(referrer.public_id);
      expect(page.get(forReferrals.id)!.text).toContain('you have 1.');
      await refer('saved', 'ok');
      expect((await receipt(referrer.public_id)).get(forReferrals.id)!.state).toBe('unlocked');

      // Release: from the pre-save's release moment, and the link item sends the fan on (302), nowhere else.
      clock = pending.due_at + 1;
      page = await receipt(pending.public_id);
      expect(page.get(atRelease.id)!.state).toBe('unlocked');
      const hop = await get(page.get(atRelease.id)!.href!);
      expect(hop.status).toBe(302);
      expect(hop.headers.get('location')).toBe('https://example.com/secret-show');
      expect(hop.headers.get('referrer-policy')).toBe('no-referrer');

      // A link made for the failed fan still refuses: the item is not unlocked for them (403 in words).
      const notTheirs = await get(signedPath(server.ctx, 'vault', failed.public_id, String(forPresave.id), 10 * MIN));
      expect(notTheirs.status).toBe(403);
      expect(await notTheirs.text()).toContain('This item is not unlocked for you yet.');

      // Unlocks are recorded once per fan and item however often the receipt is read, for the artist:
      // the pre-save item for the three standing pre-savers whose receipts were read (not the failed one).
      const report = await vaultReport(server.ctx.db, campaign.id);
      expect(report.find((r) => r.item.id === forPresave.id)!.unlocks).toBe(3);
      expect(report.find((r) => r.item.id === forContact.id)!.unlocks).toBe(1);
      for (const item of [forPresave, forContact, forReferrals]) await removeVaultItem(server.ctx, campaign.id, item.id);
      await removeVaultItem(server.ctx, campaign.id, atRelease.id);
    });

    it('a download link works for its receipt only: not after expiry, not on another receipt, not when changed', async () => {
      const bytes = pdfBytes(5000);
      const item = await addFile(server.ctx, campaign.id, { title: 'Booklet' }, bytes, 'booklet.exe');
      const a = await fan();
      const b = await fan();
      const link = (await receipt(a.public_id)).get(item.id)!.href!;
      expect(link).toMatch(new RegExp(`^/p/${a.public_id}/vault/${item.id}\\?exp=\\d+&sig=[\\w-]+$`));

      const ok = await get(link);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/pdf');
      // The name's extension agrees with the content: booklet.exe holding a PDF is booklet.pdf.
      expect(ok.headers.get('content-disposition')).toBe(`attachment; filename="booklet.pdf"; filename*=UTF-8''booklet.pdf`);
      expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
      expect(ok.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(ok.headers.get('cache-control')).toBe('private, no-store');
      expect(Buffer.from(await ok.arrayBuffer()).equals(bytes)).toBe(true);

      // Another receipt: the same address with B's public id.
      const swapped = await get(link.replace(a.public_id, b.public_id));
      expect(swapped.status).toBe(403);
      const swappedText = await swapped.text();
      expect(swappedText).toContain('This link is not yours');
      expect(swappedText).toContain(`href="/p/${b.public_id}#vault"`);
      expect(swappedText).not.toContain('Booklet');
      // Changed: another item, a later expiry, a different signature, a broken id.
      for (const bad of [
        link.replace(`/vault/${item.id}?`, `/vault/${item.id + 1}?`),
        link.replace(/exp=(\d+)/, (_m, e: string) => `exp=${Number(e) + 60_000}`),
        link.replace(/sig=([\w-]{4})/, 'sig=AAAA'),
        link.replace(/sig=[\w-]+/, 'sig='),
        link.replace(`/vault/${item.id}`, '/vault/1e3'),
        `/p/${a.public_id}/vault/${item.id}`,
      ]) {
        const res = await get(bad);
        expect(res.status, bad).toBe(403);
        expect(await res.text()).toContain('This download link belongs to another receipt, or it was changed.');
      }
      // Expired: the clock passes the link's time; the page says so and leads back to a fresh one.
      clock += 10 * MIN + 1;
      const late = await get(link);
      expect(late.status).toBe(403);
      const lateText = await late.text();
      expect(lateText).toContain('This link has expired');
      expect(lateText).toContain(`href="/p/${a.public_id}#vault"`);
      const fresh = (await receipt(a.public_id)).get(item.id)!.href!;
      expect(fresh).not.toBe(link);
      expect((await get(fresh)).status).toBe(200);
      // In the fan's language (their pre-save's, or ?lang=).
      const inSpanish = await get(`${link}&lang=es`);
      expect(await inSpanish.text()).toContain('Este enlace ha caducado');
      // An unknown receipt is a 404, never a file.
      expect((await get(link.replace(a.public_id, 'nobody-xxxxxxxxxxxxxxxx'))).status).toBe(404);
      await removeVaultItem(server.ctx, campaign.id, item.id);
    });

    it('a store that cannot be reached answers 503 with Retry-After, not 500; the link works again once it is back', async () => {
      const item = await addFile(server.ctx, campaign.id, { title: 'Outage notes', unlock: 'presave' });
      const a = await fan('pending');
      const link = (await receipt(a.public_id)).get(item.id)!.href!;
      down = true;
      try {
        const res = await get(link, { accept: 'text/html' });
        expect(res.status).toBe(503);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(res.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_BUSY');
        await res.arrayBuffer();
      } finally {
        down = false;
      }
      const back = await get(link);
      expect(back.status).toBe(200);
      await back.arrayBuffer();
    });

    it('answers ranges; a resume is not another download; the per-fan limit answers 429 in words', async () => {
      const bytes = pdfBytes(3000);
      const item = await addFile(server.ctx, campaign.id, { title: 'Photo book' }, bytes);
      const f = await fan();
      const link = (await receipt(f.public_id)).get(item.id)!.href!;
      const count = async () =>
        Number(
          (
            await server.ctx.db
              .selectFrom('vault_downloads')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('item_id', '=', item.id)
              .where('presave_id', '=', f.id)
              .executeTakeFirstOrThrow()
          ).n,
        );

      const first = await get(link, { range: 'bytes=0-9' });
      expect(first.status).toBe(206);
      expect(first.headers.get('content-range')).toBe(`bytes 0-9/${bytes.length}`);
      expect(await first.text()).toBe('%PDF-1.7\n%');
      expect(await count()).toBe(1);
      const middle = await get(link, { range: 'bytes=100-149' });
      expect(middle.status).toBe(206);
      expect(Buffer.from(await middle.arrayBuffer()).equals(bytes.subarray(100, 150))).toBe(true);
      const suffix = await get(link, { range: 'bytes=-7' });
      expect(suffix.status).toBe(206);
      expect(Buffer.from(await suffix.arrayBuffer()).equals(bytes.subarray(bytes.length - 7))).toBe(true);
      const past = await get(link, { range: `bytes=${bytes.length + 10}-` });
      expect(past.status).toBe(416);
      expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
      await past.arrayBuffer();
      expect(await count()).toBe(1);

      const whole = await get(link);
      expect(whole.status).toBe(200);
      expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
      expect(await count()).toBe(2);
      const third = await get(link);
      expect(third.status).toBe(429);
      expect(third.headers.get('x-dropday-error')).toBe('DROPDAY_ERR_RATE_LIMITED');
      expect(await third.text()).toContain('You have downloaded this 2 times, as many as the artist allows.');
      // The receipt says so too: no Download button, none left.
      const after = (await receipt(f.public_id)).get(item.id)!;
      expect(after).toMatchObject({ state: 'unlocked', href: null });
      expect(after.text).toContain('Download limit reached 0 downloads left');
      // A download that broke off can still be resumed.
      const resume = await get(link, { range: 'bytes=2000-' });
      expect(resume.status).toBe(206);
      expect(Buffer.from(await resume.arrayBuffer()).equals(bytes.subarray(2000))).toBe(true);
      expect(await count()).toBe(2);

      const report = (await vaultReport(server.ctx.db, campaign.id)).find((r) => r.item.id === item.id)!;
      expect(report).toMatchObject({ unlocks: 1, downloads: 2, fans: 1 });

      // Erasing the pre-save takes its unlocks and downloads with it (ON DELETE CASCADE); the item stays.
      await erasePresave(server.ctx, (await findPresaveByPublicId(server.ctx.db, f.public_id))!);
      expect(await count()).toBe(0);
      const unlocks = await server.ctx.db.selectFrom('vault_unlocks').selectAll().where('presave_id', '=', f.id).execute();
      expect(unlocks).toEqual([]);
      expect((await vaultReport(server.ctx.db, campaign.id)).find((r) => r.item.id === item.id)).toMatchObject({
        unlocks: 0,
        downloads: 0,
      });
      await removeVaultItem(server.ctx, campaign.id, item.id);
    });

    it('refuses what an artist adds wrongly, naming each field, with nothing stored', async () => {
      const before = await vaultItems(server.ctx.db, campaign.id);
      const putsBefore = puts.length;
      const refusal = async (p: Promise<unknown>) => {
        const err = await p.catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).details!;
      };
      expect(
        (
          await refusal(
            addFile(server.ctx, campaign.id, { title: 'Page' }, Buffer.from('<!doctype html><script>alert(1)</script>'), 'page.pdf'),
          )
        ).file,
      ).toContain('it is markup or a script');
      expect(
        (
          await refusal(
            addFile(server.ctx, campaign.id, { title: 'Logo' }, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'logo.png'),
          )
        ).file,
      ).toContain('markup');
      expect(
        (await refusal(addFile(server.ctx, campaign.id, { title: 'Tool' }, Buffer.from('MZ\x90\x00 windows program'), 'tool.zip'))).file,
      ).toContain('none of the types the vault takes');
      const many = await refusal(addFile(server.ctx, campaign.id, { title: '  ', unlock: 'referrals', referrals: '0' }));
      expect(Object.keys(many).sort()).toEqual(['referrals', 'title']);
      expect(many.referrals).toContain('whole number from 1');
      expect((await refusal(addFile(server.ctx, campaign.id, { title: 'x'.repeat(121) }))).title).toContain('at most 120');
      expect((await refusal(addFile(server.ctx, campaign.id, { title: 'Odd', unlock: 'whenever' }))).unlock).toContain(
        'presave, contact, referrals, release',
      );
      expect((await refusal(addLink(server.ctx, campaign.id, { title: 'Plain', url: 'http://example.com/x' }))).url).toContain('https://');
      expect((await refusal(addLink(server.ctx, campaign.id, { title: 'Creds', url: 'https://me:pw@example.com/x' }))).url).toContain(
        'user name or password',
      );
      expect((await refusal(addLink(server.ctx, campaign.id, { title: 'Script', url: 'javascript:alert(1)' }))).url).toContain('https://');
      expect(
        (await refusal(addLink(server.ctx, campaign.id, { title: 'Long', url: `https://example.com/${'a'.repeat(2000)}` }))).url,
      ).toContain('at most 2000');
      expect((await refusal(addLink(server.ctx, campaign.id, { title: 'Broken', url: 'https://exa mple.com\n' }))).url).toBeTruthy();
      expect(await vaultItems(server.ctx.db, campaign.id)).toEqual(before);
      expect(puts.length).toBe(putsBefore);

      // A failure after the blob was stored (here: no such campaign) deletes the blob again.
      const err = await addFile(server.ctx, 987_654, { title: 'Orphan' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      const orphan = puts.at(-1)!;
      expect(deletes).toContain(orphan);
      expect(await blobStore(server.ctx).size(orphan)).toBeNull();

      // Removing an item deletes its row and its blob.
      const kept = await addFile(server.ctx, campaign.id, { title: 'Kept a moment' });
      expect(await blobStore(server.ctx).size(kept.storage_key!)).toBe(4096);
      expect(await removeVaultItem(server.ctx, campaign.id, kept.id)).toBe(true);
      expect(await blobStore(server.ctx).size(kept.storage_key!)).toBeNull();
      expect(await removeVaultItem(server.ctx, campaign.id, kept.id)).toBe(false);
    });
  });
});
