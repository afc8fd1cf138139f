import type { FastifyReply } from 'fastify';
import type { DeezerFakeState, FakeAlbum, FakeArtist, FakeTrack, FakeUser } from './state.js';

/** Deezer's JSON shapes (trimmed to the fields that matter, same names and types) and error bodies. */
const WEB = 'https://www.deezer.com';

export function deezerError(reply: FastifyReply, type: string, message: string, code: number): FastifyReply {
  // Deezer reports errors with HTTP 200: the body is the only sign.
  return reply
    .code(200)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ error: { type, message, code } }));
}

export const ERR = {
  quota: (r: FastifyReply) => deezerError(r, 'Exception', 'Quota limit exceeded', 4),
  noToken: (r: FastifyReply) =>
    deezerError(r, 'OAuthException', 'An active access token must be used to query information about the current user', 200),
  permission: (r: FastifyReply) => deezerError(r, 'OAuthException', 'Permission denied', 200),
  invalidToken: (r: FastifyReply) => deezerError(r, 'OAuthException', 'Invalid OAuth access token.', 300),
  noData: (r: FastifyReply) => deezerError(r, 'DataException', 'no data', 800),
  missing: (r: FastifyReply, name: string) => deezerError(r, 'MissingParameterException', `Missing parameters: ${name}`, 501),
  unknownPath: (r: FastifyReply, path: string, method: string) =>
    deezerError(r, 'InvalidQueryException', `Unknown path components : ${path} for request_method ${method.toLowerCase()}`, 600),
};

export function json(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

export function artistJson(api: string, a: FakeArtist) {
  return {
    id: a.id,
    name: a.name,
    link: `${WEB}/artist/${a.id}`,
    picture: `${api}/artist/${a.id}/image`,
    tracklist: `${api}/artist/${a.id}/top?limit=50`,
    type: 'artist',
  };
}

/** An album as lists show it (search results, favourites). */
export function albumLiteJson(api: string, al: FakeAlbum) {
  return {
    id: al.id,
    title: al.title,
    link: `${WEB}/album/${al.id}`,
    cover: `${api}/album/${al.id}/image`,
    nb_tracks: al.tracks.length,
    release_date: al.releaseDate,
    record_type: al.recordType,
    available: true,
    tracklist: `${api}/album/${al.id}/tracks`,
    explicit_lyrics: false,
    artist: artistJson(api, al.artist),
    type: 'album',
  };
}

export function albumJson(api: string, state: DeezerFakeState, al: FakeAlbum) {
  return {
    id: al.id,
    title: al.title,
    upc: al.upc ?? '',
    link: `${WEB}/album/${al.id}`,
    share: `${WEB}/album/${al.id}?utm_source=deezer`,
    cover: `${api}/album/${al.id}/image`,
    genre_id: 0,
    label: 'Fake Records',
    nb_tracks: al.tracks.length,
    duration: al.tracks.length * 180,
    fans: 0,
    release_date: al.releaseDate,
    record_type: al.recordType,
    available: true,
    tracklist: `${api}/album/${al.id}/tracks`,
    explicit_lyrics: false,
    contributors: al.contributors.map((c) => ({ ...artistJson(api, c), role: 'Main' })),
    artist: artistJson(api, al.artist),
    type: 'album',
    tracks: { data: al.tracks.map((t) => trackLiteJson(api, state, t)) },
  };
}

function trackLiteJson(api: string, state: DeezerFakeState, t: FakeTrack) {
  const al = state.albums.get(t.albumId)!;
  return {
    id: t.id,
    readable: true,
    title: t.title,
    title_short: t.title,
    link: `${WEB}/track/${t.id}`,
    duration: 180,
    artist: artistJson(api, al.artist),
    type: 'track',
  };
}

export function trackJson(api: string, state: DeezerFakeState, t: FakeTrack) {
  const al = state.albums.get(t.albumId)!;
  return {
    ...trackLiteJson(api, state, t),
    isrc: t.isrc ?? '',
    track_position: al.tracks.indexOf(t) + 1,
    disk_number: 1,
    release_date: al.releaseDate,
    contributors: al.contributors.map((c) => ({ ...artistJson(api, c), role: 'Main' })),
    album: {
      id: al.id,
      title: al.title,
      link: `${WEB}/album/${al.id}`,
      cover: `${api}/album/${al.id}/image`,
      release_date: al.releaseDate,
      tracklist: `${api}/album/${al.id}/tracks`,
      type: 'album',
    },
  };
}

export function userJson(api: string, u: FakeUser) {
  return {
    id: u.id,
    name: u.username,
    lastname: '',
    firstname: '',
    status: 0,
    country: 'FR',
    lang: 'en',
    is_kid: false,
    link: `${WEB}/profile/${u.id}`,
    picture: `${api}/user/${u.id}/image`,
    tracklist: `${api}/user/${u.id}/flow`,
    type: 'user',
  };
}
