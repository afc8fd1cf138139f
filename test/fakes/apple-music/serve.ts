import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { musicKitKeyPair } from './keys.js';
import { startAppleMusicFake } from './index.js';

/**
 * Runs the Apple Music fake on its own for a local trial of Dropday (see docs/providers/apple-music.md):
 *
 *   npx tsx test/fakes/apple-music/serve.ts --port 4020 \
 *     --album 'Nadia Vale|Midnight Drive|190288000011|2026-12-05T00:00:00Z|us,gb'
 *
 * `--album artist|title|upc[|live-from ISO time][|storefronts]` may be repeated. It makes a fresh
 * MusicKit-style key pair (the private key goes to a 0600 file in a temporary directory), prints
 * the environment variables to give Dropday, and serves until interrupted.
 * `GET /_fake/login?user=ana&storefront=gb` chooses the fan a browser is; `GET /_fake/libraries`
 * shows every fan's library.
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
const teamId = 'FAKETEAM01';
const keyId = 'FAKEKEY001';
const keys = musicKitKeyPair();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apple-music-fake-'));
const keyFile = path.join(dir, `AuthKey_${keyId}.p8`);
fs.writeFileSync(keyFile, keys.privateKeyPem, { mode: 0o600 });

const fake = await startAppleMusicFake({ publicKey: keys.publicKey, keyId, teamId, port: Number(opts.get('port')?.at(-1) ?? 4020) });
for (const spec of opts.get('album') ?? []) {
  const [artist, title, upc, liveFrom, storefronts] = spec.split('|');
  if (!artist || !title) throw new Error('--album needs at least artist|title');
  const album = fake.addAlbum({
    artistName: artist,
    name: title,
    ...(upc ? { upc } : {}),
    ...(liveFrom ? { liveAt: Date.parse(liveFrom) } : {}),
    ...(storefronts ? { storefronts: storefronts.split(',').map((s) => s.trim().toLowerCase()) } : {}),
  });
  process.stdout.write(`album ${album.id}: ${artist} — ${title}${upc ? ` (UPC ${upc})` : ''} in ${album.storefronts.join(', ')}\n`);
}
process.stdout.write(`\nApple Music fake on ${fake.url}. Give Dropday:\n`);
const env = {
  APPLE_MUSIC_TEAM_ID: teamId,
  APPLE_MUSIC_KEY_ID: keyId,
  APPLE_MUSIC_PRIVATE_KEY_FILE: keyFile,
  APPLE_MUSIC_API_URL: fake.url,
  APPLE_MUSIC_MUSICKIT_JS_URL: `${fake.url}/musickit.js`,
};
for (const [k, v] of Object.entries(env)) process.stdout.write(`${k}=${v}\n`);
process.stdout.write(`\nChoose the fan: ${fake.url}/_fake/login?user=ana&storefront=us\nLibraries: ${fake.url}/_fake/libraries\n`);

const stop = () => {
  void fake.close().then(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
