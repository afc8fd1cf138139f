import { startTidalFake } from './index.js';

/**
 * Runs the TIDAL fake on its own for a local trial of Dropday (see docs/providers/tidal.md):
 *
 *   npx tsx test/fakes/tidal/serve.ts --port 4020 \
 *     --redirect http://127.0.0.1:3000/callback/tidal \
 *     --release 'Nadia Vale|Midnight Drive|190288000011|2026-12-05T00:00:00Z'
 *
 * `--release artist|title|upc[|live-from ISO time]` may be repeated. `--not-approved dev` plays an
 * app TIDAL has not approved yet: only the fan named `dev` may use it. Prints the environment
 * variables to give Dropday and serves until interrupted; `GET /_fake/collections` shows every
 * fan's collection.
 */
function args(argv: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = argv[i + 1];
    if (!a.startsWith('--') || value === undefined || value.startsWith('--')) throw new Error(`expected --name value, got ${a}`);
    out.set(a.slice(2), [...(out.get(a.slice(2)) ?? []), value]);
    i++;
  }
  return out;
}

const opts = args(process.argv.slice(2));
const one = (k: string) => opts.get(k)?.at(-1);
const developer = one('not-approved');
const fake = await startTidalFake({ port: Number(one('port') ?? 4020), ...(developer ? { developer } : {}) });
if (developer) fake.state.approved = false;
for (const uri of opts.get('redirect') ?? ['http://127.0.0.1:3000/callback/tidal']) fake.state.registerRedirectUri(uri);
for (const spec of opts.get('release') ?? []) {
  const [artist, title, upc, liveFrom] = spec.split('|');
  if (!artist || !title || !upc) throw new Error('--release needs artist|title|upc[|live-from]');
  const { album } = fake.state.addRelease({ artist, title, upc, ...(liveFrom ? { availableFrom: Date.parse(liveFrom) } : {}) });
  process.stdout.write(`album ${album.id}: ${artist} — ${title} (UPC ${upc})${liveFrom ? `, live from ${liveFrom}` : ''}\n`);
}
process.stdout.write(`\nTIDAL fake on ${fake.url}. Give Dropday:\n`);
for (const [k, v] of Object.entries(fake.env())) process.stdout.write(`${k}=${v}\n`);
process.stdout.write(`\nRedirect URIs accepted: ${fake.state.redirectUris.join(', ')}\nCollections: ${fake.url}/_fake/collections\n`);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
