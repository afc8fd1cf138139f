import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../../db/index.js';
import { authenticate, type SandboxUser } from './auth.js';
import { apiError } from './errors.js';
import { faultHook } from './faults.js';
import type { SandboxServerOptions } from './options.js';
import { field } from './params.js';
import { hasScope, type Scope } from './scopes.js';

const MAX_URIS = 40;
const URI_RE = /^sandbox:(album|artist):([0-9A-Za-z]{1,64})$/;

interface LibraryUri {
  uri: string;
  kind: 'album' | 'artist';
  id: string;
}

/** Parses `?uris=a,b,c`: a string of 1–40 well-formed Sandbox album or artist URIs. */
function parseUris(raw: unknown): { uris: LibraryUri[] } | { message: string } {
  if (Array.isArray(raw)) return { message: 'Give uris once, comma-separated' };
  if (typeof raw !== 'string' || raw === '') return { message: 'Missing required parameter: uris' };
  const parts = raw.split(',');
  if (parts.length > MAX_URIS) return { message: `Too many uris requested (at most ${MAX_URIS})` };
  const uris: LibraryUri[] = [];
  for (const uri of parts) {
    const m = URI_RE.exec(uri);
    if (!m) return { message: `Invalid uri: ${uri}` };
    uris.push({ uri, kind: m[1] as 'album' | 'artist', id: m[2]! });
  }
  return { uris };
}

/** The first URI naming no live album or known artist, if any. */
async function firstUnknown(db: Db, uris: LibraryUri[], now: number): Promise<string | undefined> {
  const albumIds = uris.filter((u) => u.kind === 'album').map((u) => u.id);
  const artistIds = uris.filter((u) => u.kind === 'artist').map((u) => u.id);
  const albums = new Set(
    albumIds.length
      ? (await db.selectFrom('sandbox_releases').select('id').where('id', 'in', albumIds).where('live_at', '<=', now).execute()).map(
          (r) => r.id,
        )
      : [],
  );
  const artists = new Set(
    artistIds.length ? (await db.selectFrom('sandbox_artists').select('id').where('id', 'in', artistIds).execute()).map((r) => r.id) : [],
  );
  return uris.find((u) => (u.kind === 'album' ? !albums.has(u.id) : !artists.has(u.id)))?.uri;
}

/** PUT, GET …/contains and DELETE /me/library, with Spotify's limits and scope rules. */
export function libraryRoutes(opts: SandboxServerOptions): FastifyPluginAsync {
  const { db } = opts;

  /** Authenticates, parses uris and checks scopes; answers the error itself when one fails. */
  async function prepare(
    request: FastifyRequest,
    reply: FastifyReply,
    now: number,
    scopeFor: (kind: LibraryUri['kind']) => Scope,
  ): Promise<{ user: SandboxUser; uris: LibraryUri[] } | undefined> {
    const user = await authenticate(db, now, request, reply);
    if (!user) return undefined;
    const raw = (request.query as Record<string, unknown> | undefined)?.uris;
    const parsed = parseUris(Array.isArray(raw) ? raw : field(request.query, 'uris'));
    if ('message' in parsed) {
      apiError(reply, 400, parsed.message);
      return undefined;
    }
    if (parsed.uris.some((u) => !hasScope(user.scope, scopeFor(u.kind)))) {
      apiError(reply, 403, 'Insufficient client scope');
      return undefined;
    }
    return { user, uris: parsed.uris };
  }
  const modifyScope = (kind: LibraryUri['kind']): Scope => (kind === 'album' ? 'user-library-modify' : 'user-follow-modify');

  return async (app) => {
    const onRequest = faultHook(db, 'library');

    app.put('/me/library', { onRequest }, async (request, reply) => {
      const now = opts.now();
      const ok = await prepare(request, reply, now, modifyScope);
      if (!ok) return reply;
      const unknown = await firstUnknown(db, ok.uris, now);
      if (unknown !== undefined) return apiError(reply, 400, `Invalid uri: ${unknown}`);
      const distinct = [...new Set(ok.uris.map((u) => u.uri))];
      await db
        .insertInto('sandbox_library')
        .values(distinct.map((uri) => ({ username: ok.user.username, uri, saved_at: now })))
        .onConflict((oc) => oc.columns(['username', 'uri']).doNothing())
        .execute();
      return reply.code(200).send();
    });

    app.get('/me/library/contains', { onRequest }, async (request, reply) => {
      const ok = await prepare(request, reply, opts.now(), () => 'user-library-read');
      if (!ok) return reply;
      const saved = new Set(
        (
          await db
            .selectFrom('sandbox_library')
            .select('uri')
            .where('username', '=', ok.user.username)
            .where(
              'uri',
              'in',
              ok.uris.map((u) => u.uri),
            )
            .execute()
        ).map((r) => r.uri),
      );
      return ok.uris.map((u) => saved.has(u.uri));
    });

    app.delete('/me/library', { onRequest }, async (request, reply) => {
      const ok = await prepare(request, reply, opts.now(), modifyScope);
      if (!ok) return reply;
      await db
        .deleteFrom('sandbox_library')
        .where('username', '=', ok.user.username)
        .where(
          'uri',
          'in',
          ok.uris.map((u) => u.uri),
        )
        .execute();
      return reply.code(200).send();
    });
  };
}
