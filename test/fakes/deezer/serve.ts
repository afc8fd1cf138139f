import { startDeezerFake } from './index.js';

/**
 * Runs the Deezer fake on its own for a local trial of Dropday (see docs/providers/deezer.md):
 *
 *   npx tsx test/fakes/deezer/serve.ts --port 4010 \
 *     --redirect http://127.0.0.1:3000/callback/deezer \
 *     --album 'Nadia Vale|Midnight Drive|190288000019|2026-12-05T00:00:00Z'
 *
 * `--album artist|title|upc[|live-from ISO time]` may be repeated. It prints the environment
 * variables to give Dropday, and serves until interrupted. `GET /_fake/libraries` shows every
 * fan's favourites. No request quota unless `--quota 50/5`.
 */
function args(argv: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`${a} needs a value`);
    out.set(a.slice(2), [...(out.get(a.slice(2)) ?? []), value]);
    i++;
  }
  return out;
}

const opts = args(process.argv.slice(2));
const one = (k: string) => opts.get(k)?.at(-1);
const quota = one('quota');
const q = quota ? /^(\d+)\/(\d+)$/.exec(quota) : null;
if (quota && !q) throw new Error('--quota must look like 50/5 (requests per seconds)');

const fake = await startDeezerFake({
  port: Number(one('port') ?? 4010),
  quota: q ? { limit: Number(q[1]), windowMs: Number(q[2]) * 1000 } : null,
});
for (const uri of opts.get('redirect') ?? ['http://127.0.0.1:3000/callback/deezer']) fake.state.addRedirectUri(uri);
for (const spec of opts.get('album') ?? []) {
  const [artist, title, upc, liveFrom] = spec.split('|');
  if (!artist || !title) throw new Error('--album needs at least artist|title');
  const album = fake.state.addAlbum({
    artist,
    title,
    upc: upc || null,
    ...(liveFrom ? { availableAt: Date.parse(liveFrom) } : {}),
  });
  process.stdout.write(
    `album ${album.id}: ${artist} — ${title}${upc ? ` (UPC ${upc})` : ''}${liveFrom ? `, live from ${liveFrom}` : ''}\n`,
  );
}
process.stdout.write(`\nDeezer fake on ${fake.url}. Give Dropday:\n`);
for (const [k, v] of Object.entries(fake.env())) process.stdout.write(`${k}=${v}\n`);
process.stdout.write(`\nRedirect URIs accepted: ${fake.state.apps[0]!.redirectUris.join(', ')}\nFavourites: ${fake.url}/_fake/libraries\n`);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
