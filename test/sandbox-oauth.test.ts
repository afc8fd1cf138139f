import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../src/log.js';
import { revokeUser } from '../src/providers/sandbox/admin.js';
import { buildSandboxServer, sandboxPlugin, type SandboxServerOptions } from '../src/providers/sandbox/server/index.js';
import { challengeS256, createVerifier } from '../src/util/pkce.js';
import { createTestDb, testDialects, type TestDb } from './helpers/db.js';

const CLIENT = 'dropday-test';
const REDIRECT = 'http://127.0.0.1:3000/oauth/sandbox/callback';
const REDIRECT_WITH_QUERY = 'http://127.0.0.1:3000/cb?from=sandbox';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each(testDialects())('Sandbox OAuth (%s)', (dialect) => {
  let tdb: TestDb;
  let app: FastifyInstance;
  let clock: number;
  let options: SandboxServerOptions;

  beforeEach(async () => {
    tdb = await createTestDb(dialect);
    clock = Date.UTC(2026, 2, 1, 12);
    options = {
      db: tdb.db,
      now: () => clock,
      accessTokenTtlSeconds: 3600,
      clients: [{ clientId: CLIENT, redirectUris: [REDIRECT, REDIRECT_WITH_QUERY] }],
      publicBaseUrl: 'http://127.0.0.1:3000/sandbox',
    };
    app = buildSandboxServer(options);
  });
  afterEach(async () => {
    await app.close();
    await tdb.drop();
  });

  function authorizeQuery(over: Record<string, string | undefined> = {}, verifier = createVerifier()) {
    const q: Record<string, string> = {};
    const all = {
      client_id: CLIENT,
      response_type: 'code',
      redirect_uri: REDIRECT,
      state: 'st-123',
      scope: 'user-library-modify user-library-read',
      code_challenge_method: 'S256',
      code_challenge: challengeS256(verifier),
      ...over,
    };
    for (const [k, v] of Object.entries(all)) if (v !== undefined) q[k] = v;
    return q;
  }

  async function openConsent(over: Record<string, string | undefined> = {}, verifier = createVerifier(), on = app, prefix = '/sandbox') {
    const res = await on.inject({ method: 'GET', url: `${prefix}/authorize`, query: authorizeQuery(over, verifier) });
    const requestId = /name="request_id" value="([^"]+)"/.exec(res.body)?.[1];
    return { res, requestId };
  }

  function decide(requestId: string, decision: string, username = 'ana', on = app, prefix = '/sandbox') {
    return on.inject({
      method: 'POST',
      url: `${prefix}/authorize`,
      headers: FORM,
      payload: new URLSearchParams({ request_id: requestId, username, decision }).toString(),
    });
  }

  function token(form: Record<string, string>) {
    return app.inject({ method: 'POST', url: '/sandbox/api/token', headers: FORM, payload: new URLSearchParams(form).toString() });
  }

  async function codeFor(verifier: string, username = 'ana', over: Record<string, string | undefined> = {}) {
    const { requestId } = await openConsent(over, verifier);
    const res = await decide(requestId!, 'allow', username);
    return new URL(String(res.headers.location)).searchParams.get('code')!;
  }

  function exchange(code: string, verifier: string, over: Record<string, string> = {}) {
    return token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: verifier, ...over });
  }

  function refresh(refreshToken: string) {
    return token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT });
  }

  function me(accessToken: string) {
    return app.inject({ method: 'GET', url: '/sandbox/v1/me', headers: { authorization: `Bearer ${accessToken}` } });
  }

  async function grant(username = 'ana') {
    const verifier = createVerifier();
    const res = await exchange(await codeFor(verifier, username), verifier);
    expect(res.statusCode).toBe(200);
    return res.json() as { access_token: string; refresh_token: string; scope: string; expires_in: number; token_type: string };
  }

  it('runs the whole authorize → consent → code → token flow with PKCE', async () => {
    const verifier = createVerifier();
    const { res, requestId } = await openConsent({}, verifier);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain('form-action');
    expect(res.headers['content-security-policy']).toContain('http://127.0.0.1:3000');
    expect(res.body).toContain('Sandbox — a pretend streaming service for testing Dropday');
    expect(res.body).toContain(CLIENT);
    expect(res.body).toContain('Save albums to your Sandbox library');
    expect(res.body).toContain('See which albums and artists are in your Sandbox library');
    expect(res.body).not.toContain('Follow and unfollow artists');
    expect(res.body).toContain('<label for="username">Sandbox username</label>');
    expect(res.body).toMatch(/<input id="username" name="username" required pattern="\[a-z0-9_.\\-\]\{1,32\}"/);
    expect(res.body).toContain('<form method="post" action="./authorize">');
    expect(res.body).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
    expect(res.body).toContain('name="decision" value="deny" formnovalidate>Deny</button>');
    expect(requestId).toBeTruthy();

    const allowed = await decide(requestId!, 'allow', 'ana');
    expect(allowed.statusCode).toBe(302);
    expect(allowed.headers['cache-control']).toBe('no-store');
    const location = new URL(String(allowed.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-123');
    const code = location.searchParams.get('code')!;
    expect(code.length).toBeGreaterThanOrEqual(43);
    // Only the hash of the code is stored.
    const codes = await tdb.db.selectFrom('sandbox_codes').selectAll().execute();
    expect(codes).toHaveLength(1);
    expect(codes[0]!.code_hash).not.toBe(code);

    const res2 = await exchange(code, verifier);
    expect(res2.statusCode).toBe(200);
    expect(res2.headers['cache-control']).toBe('no-store');
    const body = res2.json();
    expect(body).toMatchObject({ token_type: 'Bearer', scope: 'user-library-modify user-library-read', expires_in: 3600 });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    const stored = await tdb.db.selectFrom('sandbox_tokens').selectAll().execute();
    expect(stored.map((t) => t.kind).sort()).toEqual(['access', 'refresh']);
    expect(new Set(stored.map((t) => t.family)).size).toBe(1);
    expect(stored.map((t) => t.token_hash)).not.toContain(body.access_token);

    const who = await me(body.access_token);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toEqual({ id: 'ana', account_id: 'ana', display_name: 'ana', type: 'user', uri: 'sandbox:user:ana' });
  });

  it('escapes what it echoes on the consent page', async () => {
    const { res } = await openConsent({ state: '"><script>alert(1)</script>' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>');
    const { res: again, requestId } = await openConsent();
    expect(again.statusCode).toBe(200);
    const bad = await decide(requestId!, 'allow', '<b>x</b>');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain('<b>x</b>');
    expect(bad.body).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('sends access_denied back when the fan denies, and the request is single use', async () => {
    const { requestId } = await openConsent();
    const denied = await decide(requestId!, 'deny', '');
    expect(denied.statusCode).toBe(302);
    expect(denied.headers.location).toBe(`${REDIRECT}?error=access_denied&state=st-123`);
    const again = await decide(requestId!, 'allow');
    expect(again.statusCode).toBe(400);
    expect(again.headers.location).toBeUndefined();
    expect(again.body).toContain('expired or was already used');
  });

  it('appends to a redirect URI that already has a query, URL-encoding values', async () => {
    const { requestId } = await openConsent({ redirect_uri: REDIRECT_WITH_QUERY, state: 'a b&c=d' });
    const res = await decide(requestId!, 'allow');
    const location = String(res.headers.location);
    expect(location.startsWith(`${REDIRECT_WITH_QUERY}&code=`)).toBe(true);
    expect(location).toContain('&state=a%20b%26c%3Dd');
    expect(new URL(location).searchParams.get('state')).toBe('a b&c=d');
    expect(new URL(location).searchParams.get('from')).toBe('sandbox');
  });

  it('shows a 400 page and never redirects for an unknown client or an unregistered redirect_uri', async () => {
    for (const over of [
      { redirect_uri: 'http://127.0.0.1:3000/evil' },
      { redirect_uri: `${REDIRECT}/` },
      { redirect_uri: REDIRECT.toUpperCase() },
      { redirect_uri: undefined },
      { client_id: 'someone-else' },
      { client_id: undefined },
    ]) {
      const { res } = await openConsent(over);
      expect(res.statusCode).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('Sandbox — a pretend streaming service for testing Dropday');
    }
    expect(await tdb.db.selectFrom('sandbox_auth_requests').selectAll().execute()).toEqual([]);
  });

  it('redirects invalid_request back for other problems', async () => {
    const cases: [Record<string, string | undefined>, string][] = [
      [{ response_type: 'token' }, 'response_type'],
      [{ code_challenge: undefined }, 'code_challenge'],
      [{ code_challenge: 'short' }, 'code_challenge'],
      [{ code_challenge: `${'a'.repeat(42)}=` }, 'code_challenge'],
      [{ code_challenge_method: 'plain' }, 'code_challenge_method'],
      [{ code_challenge_method: undefined }, 'code_challenge_method'],
      [{ scope: 'user-library-modify playlist-modify-private' }, 'playlist-modify-private'],
    ];
    for (const [over, mentions] of cases) {
      const { res } = await openConsent(over);
      expect(res.statusCode, JSON.stringify(over)).toBe(302);
      const location = new URL(String(res.headers.location));
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('error_description')).toContain(mentions);
      expect(location.searchParams.get('state')).toBe('st-123');
    }
    const { res } = await openConsent({ state: undefined });
    expect(res.statusCode).toBe(302);
    const location = new URL(String(res.headers.location));
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.has('state')).toBe(false);
    expect(await tdb.db.selectFrom('sandbox_auth_requests').selectAll().execute()).toEqual([]);
  });

  it('accepts every allowed scope, and none', async () => {
    const all = await openConsent({ scope: 'user-library-modify user-library-read user-follow-modify user-follow-read' });
    expect(all.res.statusCode).toBe(200);
    expect(all.res.body).toContain('Follow and unfollow artists for you');
    const none = await openConsent({ scope: undefined });
    expect(none.res.statusCode).toBe(200);
  });

  it('re-renders the form on an invalid username and keeps the request usable', async () => {
    const { requestId } = await openConsent();
    for (const name of ['', 'Ana', 'a'.repeat(33), 'ana smith', 'ana/..']) {
      const res = await decide(requestId!, 'allow', name);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('1 to 32 characters');
      expect(res.body).toContain(`value="${requestId}"`);
    }
    const weird = await decide(requestId!, 'maybe');
    expect(weird.statusCode).toBe(400);
    const ok = await decide(requestId!, 'allow', 'ana.b-c_1');
    expect(ok.statusCode).toBe(302);
    expect(new URL(String(ok.headers.location)).searchParams.get('code')).toBeTruthy();
  });

  it('rejects an expired or unknown consent request', async () => {
    const { requestId } = await openConsent();
    clock += 10 * 60 * 1000;
    const res = await decide(requestId!, 'allow');
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect((await decide('nope', 'allow')).statusCode).toBe(400);
    const empty = await app.inject({ method: 'POST', url: '/sandbox/authorize', headers: FORM, payload: '' });
    expect(empty.statusCode).toBe(400);
    const json = await app.inject({ method: 'POST', url: '/sandbox/authorize', payload: { request_id: 'x' } });
    expect(json.statusCode).toBe(400);
  });

  it('refuses a wrong verifier, redirect_uri or client, and an expired code', async () => {
    const verifier = createVerifier();
    const code = await codeFor(verifier);
    const wrong = await exchange(code, createVerifier());
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({ error: 'invalid_grant', error_description: 'code_verifier was incorrect' });
    expect((await exchange(code, 'short')).json().error).toBe('invalid_grant');
    expect((await exchange(code, verifier, { redirect_uri: REDIRECT_WITH_QUERY })).json().error).toBe('invalid_grant');
    const unknownClient = await exchange(code, verifier, { client_id: 'other' });
    expect(unknownClient.statusCode).toBe(401);
    expect(unknownClient.json().error).toBe('invalid_client');
    expect((await exchange('not-a-code', verifier)).json().error).toBe('invalid_grant');
    // The right verifier still works: a failed attempt does not burn the code.
    expect((await exchange(code, verifier)).statusCode).toBe(200);

    const verifier2 = createVerifier();
    const late = await codeFor(verifier2);
    clock += 10 * 60 * 1000;
    const expired = await exchange(late, verifier2);
    expect(expired.statusCode).toBe(400);
    expect(expired.json()).toEqual({ error: 'invalid_grant', error_description: 'Authorization code expired' });
  });

  it('revokes every token from a code when the code is used twice', async () => {
    const verifier = createVerifier();
    const code = await codeFor(verifier);
    const first = (await exchange(code, verifier)).json();
    expect((await me(first.access_token)).statusCode).toBe(200);
    const second = await exchange(code, verifier);
    expect(second.statusCode).toBe(400);
    expect(second.json().error).toBe('invalid_grant');
    const after = await me(first.access_token);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ error: { status: 401, message: 'Invalid access token' } });
    expect((await refresh(first.refresh_token)).json().error).toBe('invalid_grant');
  });

  it('rotates refresh tokens and treats reuse of an old one as theft', async () => {
    const first = await grant();
    const r1 = await refresh(first.refresh_token);
    expect(r1.statusCode).toBe(200);
    expect(r1.headers['cache-control']).toBe('no-store');
    const second = r1.json();
    expect(second).toMatchObject({ token_type: 'Bearer', scope: first.scope, expires_in: 3600 });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect((await me(second.access_token)).statusCode).toBe(200);
    const families = await tdb.db.selectFrom('sandbox_tokens').select('family').distinct().execute();
    expect(families).toHaveLength(1);

    const reuse = await refresh(first.refresh_token);
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json()).toEqual({ error: 'invalid_grant', error_description: 'Refresh token revoked' });
    // The whole family is gone, including the tokens the legitimate refresh produced.
    expect((await me(second.access_token)).json().error.message).toBe('Invalid access token');
    expect((await refresh(second.refresh_token)).json().error).toBe('invalid_grant');

    // Another authorization is its own family and is unaffected.
    const other = await grant('bo');
    expect((await me(other.access_token)).statusCode).toBe(200);
  });

  it('lets only one of two concurrent refreshes with the same token succeed', async () => {
    const first = await grant();
    const results = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token), refresh(first.refresh_token)]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 400, 400]);
  });

  it('answers 401 "The access token expired" after the TTL, and refresh still works', async () => {
    const first = await grant();
    clock += 3600 * 1000 - 1;
    expect((await me(first.access_token)).statusCode).toBe(200);
    clock += 1;
    const expired = await me(first.access_token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toEqual({ error: { status: 401, message: 'The access token expired' } });
    expect(expired.headers['www-authenticate']).toContain('invalid_token');
    const renewed = await refresh(first.refresh_token);
    expect(renewed.statusCode).toBe(200);
    expect((await me(renewed.json().access_token)).statusCode).toBe(200);
  });

  it('expires refresh tokens six months after consent, however often they rotate', async () => {
    let tokens = await grant();
    for (let i = 0; i < 6; i++) {
      clock += 30 * 24 * 3600 * 1000;
      const res = await refresh(tokens.refresh_token);
      expect(res.statusCode).toBe(200);
      tokens = res.json();
    }
    clock += 7 * 24 * 3600 * 1000;
    const res = await refresh(tokens.refresh_token);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_grant', error_description: 'Refresh token expired' });
  });

  it('answers missing and bad tokens on the Web API', async () => {
    const none = await app.inject({ method: 'GET', url: '/sandbox/v1/me' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { status: 401, message: 'No token provided' } });
    const empty = await app.inject({ method: 'GET', url: '/sandbox/v1/me', headers: { authorization: 'Bearer ' } });
    expect(empty.json().error.message).toBe('No token provided');
    for (const authorization of ['Bearer nope', 'Basic abc', 'Bearer a b']) {
      const res = await app.inject({ method: 'GET', url: '/sandbox/v1/me', headers: { authorization } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { status: 401, message: 'Invalid access token' } });
    }
    // A refresh token is not an access token.
    const tokens = await grant();
    expect((await me(tokens.refresh_token)).json().error.message).toBe('Invalid access token');
  });

  it('revokeUser kills the user’s tokens but no one else’s', async () => {
    const ana = await grant('ana');
    const bo = await grant('bo');
    expect(await revokeUser(tdb.db, 'ana')).toBe(2);
    expect((await me(ana.access_token)).json()).toEqual({ error: { status: 401, message: 'Invalid access token' } });
    const r = await refresh(ana.refresh_token);
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe('invalid_grant');
    expect((await me(bo.access_token)).statusCode).toBe(200);
  });

  it('validates token requests', async () => {
    const cases: [Record<string, string>, number, string][] = [
      [{}, 400, 'invalid_request'],
      [{ grant_type: 'client_credentials', client_id: CLIENT }, 400, 'unsupported_grant_type'],
      [
        { grant_type: 'authorization_code', client_id: 'nobody', code: 'x', redirect_uri: REDIRECT, code_verifier: 'v' },
        401,
        'invalid_client',
      ],
      [{ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, code_verifier: 'v' }, 401, 'invalid_client'],
      [{ grant_type: 'authorization_code', client_id: CLIENT, redirect_uri: REDIRECT, code_verifier: 'v' }, 400, 'invalid_request'],
      [{ grant_type: 'authorization_code', client_id: CLIENT, code: 'x', code_verifier: 'v' }, 400, 'invalid_request'],
      [{ grant_type: 'authorization_code', client_id: CLIENT, code: 'x', redirect_uri: REDIRECT }, 400, 'invalid_request'],
      [{ grant_type: 'refresh_token', client_id: CLIENT }, 400, 'invalid_request'],
      [{ grant_type: 'refresh_token', client_id: CLIENT, refresh_token: 'nope' }, 400, 'invalid_grant'],
    ];
    for (const [form, status, error] of cases) {
      const res = await token(form);
      expect(res.statusCode, JSON.stringify(form)).toBe(status);
      expect(res.json().error).toBe(error);
      expect(typeof res.json().error_description).toBe('string');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const asJson = await app.inject({ method: 'POST', url: '/sandbox/api/token', payload: { grant_type: 'refresh_token' } });
    expect(asJson.statusCode).toBe(400);
    expect(asJson.json().error).toBe('invalid_request');
    const odd = await app.inject({
      method: 'POST',
      url: '/sandbox/api/token',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(odd.statusCode).toBeGreaterThanOrEqual(400);
    expect(odd.statusCode).toBeLessThan(500);
    expect(odd.json().error).toBe('invalid_request');
    const repeated = await app.inject({
      method: 'POST',
      url: '/sandbox/api/token',
      headers: FORM,
      payload: 'grant_type=refresh_token&grant_type=authorization_code&client_id=dropday-test',
    });
    expect(repeated.statusCode).toBe(400);
    // Another client cannot use this client's refresh token.
    const tokens = await grant();
    const other = buildSandboxServer({ ...options, clients: [...options.clients, { clientId: 'other', redirectUris: [REDIRECT] }] });
    const stolen = await other.inject({
      method: 'POST',
      url: '/sandbox/api/token',
      headers: FORM,
      payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: 'other' }).toString(),
    });
    await other.close();
    expect(stolen.json().error).toBe('invalid_grant');
    expect((await refresh(tokens.refresh_token)).statusCode).toBe(200);
  });

  it('works nested in an app that registered formbody itself, and in one that did not', async () => {
    for (const parentHasFormbody of [true, false]) {
      const parent = Fastify();
      if (parentHasFormbody) await parent.register(formbody);
      await parent.register(sandboxPlugin(options), { prefix: '/sandbox' });
      parent.post('/outside', async (req) => ({ body: req.body ?? null }));
      const verifier = createVerifier();
      const { res, requestId } = await openConsent({}, verifier, parent);
      expect(res.statusCode).toBe(200);
      const allowed = await decide(requestId!, 'allow', 'ana', parent);
      expect(allowed.statusCode).toBe(302);
      const code = new URL(String(allowed.headers.location)).searchParams.get('code')!;
      const tok = await parent.inject({
        method: 'POST',
        url: '/sandbox/api/token',
        headers: FORM,
        payload: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          client_id: CLIENT,
          code_verifier: verifier,
        }).toString(),
      });
      expect(tok.statusCode).toBe(200);
      // The plugin's parsers stay inside it: without formbody the parent still rejects forms.
      const outside = await parent.inject({ method: 'POST', url: '/outside', headers: FORM, payload: 'a=1' });
      expect(outside.statusCode).toBe(parentHasFormbody ? 200 : 415);
      await parent.close();
    }
  });

  it('keeps tokens, codes and verifiers out of the logs', async () => {
    let logged = '';
    const sink = new Writable({
      write(chunk, _enc, done) {
        logged += String(chunk);
        done();
      },
    });
    const parent = Fastify({ loggerInstance: createLogger('trace', sink) as FastifyBaseLogger });
    await parent.register(sandboxPlugin(options), { prefix: '/sandbox' });
    const verifier = createVerifier();
    const { requestId } = await openConsent({}, verifier, parent);
    const allowed = await decide(requestId!, 'allow', 'ana', parent);
    const code = new URL(String(allowed.headers.location)).searchParams.get('code')!;
    const form = (f: Record<string, string>) =>
      parent.inject({ method: 'POST', url: '/sandbox/api/token', headers: FORM, payload: new URLSearchParams(f).toString() });
    const tokens = (
      await form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: verifier })
    ).json();
    await form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: verifier });
    await parent.inject({ method: 'GET', url: '/sandbox/v1/me', headers: { authorization: `Bearer ${tokens.access_token}` } });
    await form({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: CLIENT });
    await parent.inject({ method: 'GET', url: `/sandbox/v1/me?access_token=${tokens.access_token}` });
    await parent.close();
    expect(logged).toContain('incoming request');
    for (const secret of [code, verifier, tokens.access_token, tokens.refresh_token]) expect(logged).not.toContain(secret);
  });
});
