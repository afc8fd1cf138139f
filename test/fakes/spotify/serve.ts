import { DEFAULT_CLIENT_ID, startSpotifyFake } from './index.js';

/**
 * Runs the Spotify fake on its own for a local trial of Dropday (see docs/providers/spotify.md):
 *
 *   npx tsx test/fakes/spotify/serve.ts --port 4010 \
 *     --redirect-uri http://127.0.0.1:3000/callback/spotify \
 *     --album 'Nadia Vale|Midnight Drive|036000291452|2026-12-05T00:00:00Z|GBAAA2600001'
 *
 * `--album artist|title|upc[|live-from ISO time][|isrc]` may be repeated; `--allow user` (up to 5)
 * turns on the Development Mode allow-list. Prints the environment variables to give Dropday and
 * serves until interrupted. `GET /_fake/libraries` shows every fan's library.
 */
function args(argv: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = argv[i + 1];
    if (!a.startsWith('--') || value === undefined || value.startsWith('--')) throw new Error(`${a} needs a value`);
    out.set(a.slice(2), [...(out.get(a.slice(2)) ?? []), value]);
    i++;
  }
  return out;
}

const opts = args(process.argv.slice(2));
const fake = await startSpotifyFake({ port: Number(opts.get('port')?.at(-1) ?? 4010) });
for (const uri of opts.get('redirect-uri') ?? ['http://127.0.0.1:3000/callback/spotify']) fake.state.registerRedirectUri(uri);
for (const user of opts.get('allow') ?? []) fake.state.allowUser(user);
for (const spec of opts.get('album') ?? []) {
  const [artist, title, upc, liveFrom, isrc] = spec.split('|');
  if (!artist || !title) throw new Error('--album needs at least artist|title');
  const album = fake.state.addAlbum({
    name: title,
    artists: [artist],
    upc: upc || null,
    ...(liveFrom ? { liveAt: Date.parse(liveFrom) } : {}),
    ...(isrc ? { tracks: [{ isrc }] } : {}),
  });
  process.stdout.write(
    `album spotify:album:${album.id}: ${artist} — ${title}${upc ? ` (UPC ${upc})` : ''}${liveFrom ? ` live from ${liveFrom}` : ''}\n`,
  );
}
process.stdout.write(
  `\nSpotify fake on ${fake.url} (redirect URIs: ${fake.state.client(DEFAULT_CLIENT_ID).redirectUris.join(', ')}). Give Dropday:\n`,
);
for (const [k, v] of Object.entries(fake.env())) process.stdout.write(`${k}=${v}\n`);
process.stdout.write(`\nLibraries: ${fake.url}/_fake/libraries\n`);

const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
