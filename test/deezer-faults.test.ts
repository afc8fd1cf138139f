import { afterEach, describe, expect, it } from 'vitest';
import { withCheckDigit } from '../src/campaigns/identifiers.js';
import { testDialects } from './helpers/db.js';
import { waitFor } from './helpers/wait.js';
import { counts, deezerCampaign, presaveOnDeezer, startDeezerWorld, type DeezerWorld } from './fakes/deezer/dropday.js';

/**
 * Each Deezer fault through the real engine: what the pre-save ends as (status, failure reason,
 * attempts) and that nothing hammers Deezer. The clock is real time plus an offset the test moves,
 * so release time passes at once while waits (the quota window) are real.
 */
const UPC = withCheckDigit('19028800201');

describe.each(testDialects())('Deezer faults through the engine (%s)', (dialect) => {
  let world: DeezerWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  const offset = { ms: 0 };
  const now = () => Date.now() + offset.ms;

  /** Dropday + fake, a Deezer campaign released in a minute, the album live from then, and fans who pre-saved. */
  async function setup(fans: string[], env: Record<string, string> = {}, albumLiveAfterMs = 0) {
    offset.ms = 0;
    world = await startDeezerWorld(dialect, { now, env: { WORKER_RETRY_BASE_MS: '200', ...env } });
    const { server, fake } = world;
    const release = now() + 60_000;
    const album = fake.state.addAlbum({ title: 'Faults', artist: 'Fault Artist', upc: UPC, availableAt: release + albumLiveAfterMs });
    await deezerCampaign(server.ctx, { slug: 'dzf', artistName: 'Fault Artist', title: 'Faults', upc: UPC, releaseAt: release });
    for (const fan of fans) await presaveOnDeezer(server.url, 'dzf', fan);
    offset.ms += 61_000; // the release time has passed
    return { ...world, album, ctx: server.ctx };
  }

  const presaveOf = async (w: DeezerWorld, fan: string) =>
    w.server.ctx.db
      .selectFrom('presaves')
      .selectAll()
      .where('account_id', '=', String(w.fake.state.users.get(fan)!.id))
      .executeTakeFirstOrThrow();
  const tokenOf = (w: DeezerWorld, fan: string) =>
    [...w.fake.state.tokens.values()].find((t) => t.userId === w.fake.state.users.get(fan)!.id)!.token;

  it('a fan who removed Dropday on Deezer (code 300) fails at once with the reason; no retry, grant dead', async () => {
    const w = await setup(['gone', 'stays']);
    w.fake.faults.revoke('gone');
    const sent = w.fake.requests.length; // the consent round trips are behind us
    w.server.worker.start();
    await waitFor(
      async () => {
        const c = await counts(w.ctx, 'dzf');
        return c.saved === 1 && c.failed === 1;
      },
      { what: 'one saved, one failed' },
    );
    const failed = await presaveOf(w, 'gone');
    expect(failed.status).toBe('failed');
    expect(failed.failure_reason).toMatch(
      /^Deezer authorization no longer valid: Deezer no longer accepts the fan's access token .*; the fan needs to pre-save again$/,
    );
    expect(failed.attempts).toBe(1);
    const grant = await w.ctx.db.selectFrom('grants').selectAll().where('id', '=', failed.grant_id).executeTakeFirstOrThrow();
    expect(grant.status).toBe('dead');
    // One request with the dead token, then silence (no refresh exists, nothing to retry).
    await new Promise((r) => setTimeout(r, 500));
    const token = tokenOf(w, 'gone');
    const withDeadToken = w.fake.requests.slice(sent).filter((r) => r.query.access_token === token);
    expect(withDeadToken).toHaveLength(1);
    expect(w.fake.state.library('stays').albums).toEqual([w.album.id]);
  });

  it('quota (code 4 after N requests in 5 s): the whole service waits at least the window, then every fan is saved', async () => {
    const w = await setup(['q1', 'q2', 'q3'], { WORKER_CONCURRENCY: '1' });
    w.fake.faults.setQuota({ limit: 4, windowMs: 5000 });
    w.server.worker.start();
    await waitFor(async () => (await counts(w.ctx, 'dzf')).saved === 3, { what: 'three saves through the quota', timeoutMs: 45_000 });

    const api = w.fake.apiRequests();
    const rejected = api.filter((r) => r.fault === 'quota');
    expect(rejected.length).toBeGreaterThanOrEqual(1);
    expect(rejected.length).toBeLessThanOrEqual(3); // no hammering into the limit
    // After each code 4, no request reached Deezer before the 5-second window had passed.
    for (const hit of rejected) {
      const inside = api.filter((r) => r.at > hit.at && r.at < hit.at + 5000);
      expect(inside, `requests within 5 s of the code 4 at ${hit.at}`).toEqual([]);
    }
    // Waiting for the service is not a failed attempt of the pre-save.
    for (const p of await w.ctx.db.selectFrom('presaves').selectAll().execute()) expect(p.attempts).toBe(1);
    for (const fan of ['q1', 'q2', 'q3']) expect(w.fake.state.library(fan).albums).toEqual([w.album.id]);
  });

  it('a permission error (code 200) fails the pre-save at once, saying Dropday may not manage the library', async () => {
    const w = await setup(['narrow']);
    w.fake.faults.restrictPermissions('narrow', ['basic_access', 'offline_access']);
    w.server.worker.start();
    await waitFor(async () => (await counts(w.ctx, 'dzf')).failed === 1, { what: 'failed on permission' });
    const p = await presaveOf(w, 'narrow');
    expect(p.failure_reason).toMatch(/^Deezer authorization no longer valid: Deezer refused permission: .*manage their library/);
    expect(p.attempts).toBe(1);
    expect(w.fake.state.library('narrow').albums).toEqual([]);
  });

  it('HTTP 5xx from Deezer is retried with backoff, then the save lands', async () => {
    const w = await setup(['five']);
    w.fake.faults.add({ kind: 'server_error', status: 503, target: 'save', count: 2 });
    w.server.worker.start();
    await waitFor(async () => (await counts(w.ctx, 'dzf')).saved === 1, { what: 'saved after 5xx', timeoutMs: 40_000 });
    const p = await presaveOf(w, 'five');
    expect(p.attempts).toBe(3);
    expect(w.fake.apiRequests('/user/me/albums').filter((r) => r.fault === 'server_error:503')).toHaveLength(2);
    expect(w.fake.state.library('five').albums).toEqual([w.album.id]);
  });

  it('"service busy" (code 700, HTTP 200) is retried like a 5xx', async () => {
    const w = await setup(['busy']);
    w.fake.faults.add({ kind: 'error', code: 700, type: 'Exception', message: 'Service busy', target: 'lookup', count: 1 });
    w.server.worker.start();
    await waitFor(async () => (await counts(w.ctx, 'dzf')).saved === 1, { what: 'saved after busy' });
    const p = await presaveOf(w, 'busy');
    expect(p.attempts).toBe(2);
  });

  it('a dropped connection is retried, then the save lands', async () => {
    const w = await setup(['reset']);
    w.fake.faults.add({ kind: 'reset', target: 'save', count: 1 });
    w.server.worker.start();
    await waitFor(async () => (await counts(w.ctx, 'dzf')).saved === 1, { what: 'saved after reset' });
    expect((await presaveOf(w, 'reset')).attempts).toBe(2);
    expect(w.fake.state.library('reset').albums).toEqual([w.album.id]);
  });

  it('a verification that times out is retried; the retry finds the album already there and does not write again', async () => {
    const w = await setup(['slow'], { OUTBOUND_TIMEOUT_MS: '500' });
    w.fake.faults.add({ kind: 'slow', delayMs: 1500, target: 'verify', count: 1 });
    w.server.worker.start();
    await waitFor(async () => (await counts(w.ctx, 'dzf')).saved === 1, { what: 'saved after a timeout' });
    expect((await presaveOf(w, 'slow')).attempts).toBe(2);
    expect(w.fake.apiRequests('/user/me/albums').filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(w.fake.state.library('slow').albums).toEqual([w.album.id]);
  });

  it('a release Deezer publishes late is polled politely (not found = code 800) and saved once it is there', async () => {
    const w = await setup(['early'], {}, 30 * 60_000);
    w.server.worker.start();
    await waitFor(
      async () => {
        const p = await presaveOf(w, 'early');
        return p.last_error === 'release not yet found on Deezer' ? p : null;
      },
      { what: 'first not-found' },
    );
    const p1 = await presaveOf(w, 'early');
    expect(p1.status).toBe('pending');
    expect(p1.next_attempt_at - now()).toBeGreaterThanOrEqual(15_000); // no hot loop
    const lookups = w.fake.apiRequests(/^\/(album|track|search)/).length;
    await new Promise((r) => setTimeout(r, 500));
    expect(w.fake.apiRequests(/^\/(album|track|search)/).length).toBe(lookups);

    offset.ms += 31 * 60_000;
    await waitFor(async () => (await counts(w.ctx, 'dzf')).saved === 1, { what: 'saved once live' });
    expect(w.fake.state.library('early').albums).toEqual([w.album.id]);
  });
});
