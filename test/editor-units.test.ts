import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ArtworkProblem, processArtwork, sniffImage } from '../src/editor/artwork.js';
import { colourProblem, parseArtistReference, parseLanguages } from '../src/editor/form.js';
import { campaignTimeline, DAY_MS, timingWarning } from '../src/editor/guidance.js';
import { boundaryOf, parseMultipart, readMultipart, removeUploads } from '../src/editor/multipart.js';
import { makeImage, multipart } from '../src/editor/testing.js';

describe('timing guidance', () => {
  const release = Date.UTC(2026, 11, 5);
  it('warns above 6 weeks and below 3 days of lead time, not in between, each in one plain sentence pair', () => {
    expect(timingWarning(release - 43 * DAY_MS, release)?.kind).toBe('too-early');
    expect(timingWarning(release - 42 * DAY_MS, release)).toBeNull();
    expect(timingWarning(release - 3 * DAY_MS, release)).toBeNull();
    expect(timingWarning(release - 3 * DAY_MS + 1, release)?.kind).toBe('too-late');
    const late = ' Few fans will see it in time: share it everywhere at once, or move the release later if you can.';
    const cases: [number, string][] = [
      [
        -60 * DAY_MS,
        'The link goes live 60 days before the release, more than 6 weeks ahead. ' +
          'Fans tend to forget a pre-save over so long: share the link 3 to 6 weeks before release, or plan regular reminders.',
      ],
      [-2.5 * DAY_MS, 'The link goes live only 2 days before the release.' + late],
      [-1 * DAY_MS, 'The link goes live only 1 day before the release.' + late],
      [-3600_000, 'The link goes live less than a day before the release.' + late],
      [0, 'The release is already out when the link goes live, so there is nothing left to pre-save: fans see the smart link instead.'],
      [1, 'The release is already out when the link goes live, so there is nothing left to pre-save: fans see the smart link instead.'],
    ];
    for (const [offset, message] of cases) expect(timingWarning(release + offset, release)?.message, String(offset)).toBe(message);
    // Nothing garbled: no dash-joined fragments, every message ends a sentence.
    for (const [offset] of cases) expect(timingWarning(release + offset, release)!.message).not.toMatch(/ — |\.\.|[^.]$/);
  });

  it('timeline: day −21 … release … day +7, dated in the campaign zone, marked against now', () => {
    const steps = campaignTimeline('2026-12-05T00:00:00', 'Europe/Paris', Date.UTC(2026, 10, 28, 12));
    expect(steps.map((s) => s.day)).toEqual([-21, -14, -7, -3, -1, 0, 1, 7]);
    expect(steps.map((s) => s.date)).toEqual([
      '2026-11-14',
      '2026-11-21',
      '2026-11-28',
      '2026-12-02',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
      '2026-12-12',
    ]);
    expect(steps.map((s) => s.state)).toEqual(['past', 'past', 'today', 'upcoming', 'upcoming', 'upcoming', 'upcoming', 'upcoming']);
    expect(steps.find((s) => s.day === 0)?.title).toBe('Release day');
    expect(steps.find((s) => s.day === 1)?.what).toContain('Thank everyone');
    expect(steps.find((s) => s.day === -7)?.what).toContain('remind fans');
    expect(campaignTimeline('nonsense', 'UTC', 0)).toEqual([]);
  });
});

describe('editor fields', () => {
  it('reads artist ids from URLs, URIs and bare ids of each service only', () => {
    expect(parseArtistReference('spotify', 'https://open.spotify.com/intl-de/artist/0OdUWJ0sBjDrqHygGUXeCF?si=x')).toEqual({
      uri: 'spotify:artist:0OdUWJ0sBjDrqHygGUXeCF',
      url: 'https://open.spotify.com/artist/0OdUWJ0sBjDrqHygGUXeCF',
    });
    expect(parseArtistReference('apple-music', 'https://music.apple.com/gb/artist/the-band/123456')?.uri).toBe('apple-music:artist:123456');
    expect(parseArtistReference('tidal', 'https://listen.tidal.com/artist/42')?.url).toBe('https://tidal.com/artist/42');
    expect(parseArtistReference('deezer', '27')?.uri).toBe('deezer:artist:27');
    expect(parseArtistReference('spotify', 'https://evil.example/artist/0OdUWJ0sBjDrqHygGUXeCF')).toBeNull();
    expect(parseArtistReference('deezer', 'https://www.deezer.com/album/27')).toBeNull();
  });
  it('colours and languages', () => {
    expect(colourProblem('#A1b2C3')).toBeNull();
    expect(colourProblem('red')).toContain('#rrggbb');
    expect(colourProblem('#12345g')).toContain('#rrggbb');
    expect(parseLanguages('en, FR;pt-br en')).toEqual({ languages: ['en', 'fr', 'pt-BR'], problem: null });
    expect(parseLanguages('english!').problem).toContain('is not a language tag');
    expect(parseLanguages('hi bn ar de-DE')).toEqual({ languages: [], problem: expect.stringContaining('"de-DE" is not one of') });
    expect(parseLanguages('en, ja').problem).toBe(
      `"ja" is not one of the supported languages: en, es, pt-BR, fr, de, hi, bn, ar (the first you list is the page's default)`,
    );
  });
});

describe('multipart reader (streaming)', () => {
  const limits = { maxFileBytes: 1024, maxBodyBytes: 64 * 1024 };
  /** The same body cut into pieces of `size` bytes, as a network would deliver it. */
  async function* pieces(body: Buffer, size: number): AsyncGenerator<Buffer> {
    for (let i = 0; i < body.length; i += size) yield body.subarray(i, i + size);
  }

  it('reads fields, repeated fields and a file into a temporary file, however the body is cut; skips an empty file input', async () => {
    const { body, contentType } = multipart(
      { a: 'one', s: ['x', 'y'], u: 'héllo' },
      {
        f: { filename: 'c.png', contentType: 'image/png', data: Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]) },
        g: { filename: '', contentType: 'application/octet-stream', data: Buffer.alloc(0) },
      },
    );
    for (const size of [1, 2, 7, 64, body.length]) {
      const r = await readMultipart(pieces(body, size), contentType, limits);
      expect(Object.fromEntries(r.fields), `pieces of ${size}`).toEqual({ a: ['one'], s: ['x', 'y'], u: ['héllo'] });
      expect([...r.files.keys()]).toEqual(['f']);
      const f = r.files.get('f')!;
      expect([...fs.readFileSync(f.path!)], `pieces of ${size}`).toEqual([0, 1, 2, 13, 10, 45, 45, 255]);
      expect([f.size, f.tooLarge, f.sha256]).toEqual([8, false, createHash('sha256').update(fs.readFileSync(f.path!)).digest('hex')]);
      await removeUploads(r);
      expect(fs.existsSync(f.path!)).toBe(false);
    }
  });

  it('a file over its limit is not kept, but the fields after it still arrive', async () => {
    const { body, contentType } = multipart({}, { f: { filename: 'big.png', contentType: 'image/png', data: Buffer.alloc(5000, 7) } });
    const after = multipart({ title: 'Kept' }).body;
    // The title part comes after the file: join the two bodies on the same boundary.
    const boundary = boundaryOf(contentType)!;
    const joined = Buffer.concat([
      body.subarray(0, body.length - boundary.length - 6),
      Buffer.from(after.toString('latin1').replace(/----dropdayTest[0-9a-f]{16}/g, boundary), 'latin1'),
    ]);
    const r = await readMultipart(pieces(joined, 100), contentType, limits);
    expect(r.files.get('f')).toMatchObject({ size: 5000, tooLarge: true, path: null });
    expect(r.fields.get('title')).toEqual(['Kept']);
    await removeUploads(r);
  });

  it('refuses malformed bodies and bodies over the limit, leaving no file behind', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-test-'));
    const lim = { ...limits, tmpDir: tmp };
    const { body, contentType } = multipart(
      { a: 'one' },
      { f: { filename: 'a.png', contentType: 'image/png', data: Buffer.alloc(500, 1) } },
    );
    await expect(parseMultipart(body, 'multipart/form-data', lim)).rejects.toThrow(/no boundary/);
    await expect(parseMultipart(body.subarray(0, body.length - 30), contentType, lim)).rejects.toThrow(/could not be read/);
    await expect(parseMultipart(Buffer.concat([Buffer.from('junk'), body]), contentType, lim)).rejects.toThrow(/could not be read/);
    const noName = Buffer.from(`--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n`);
    await expect(parseMultipart(noName, 'multipart/form-data; boundary=b', lim)).rejects.toThrow(/no field name/);
    const twoFiles = multipart({}, { f: { filename: 'a', contentType: 'x/y', data: Buffer.from('1') } });
    const doubled = Buffer.concat([
      twoFiles.body.subarray(0, twoFiles.body.lastIndexOf('--') - boundaryOf(twoFiles.contentType)!.length - 2),
      twoFiles.body,
    ]);
    await expect(parseMultipart(doubled, twoFiles.contentType, lim)).rejects.toThrow(/more than one file/);
    const small = { ...lim, maxBodyBytes: 300 };
    await expect(readMultipart(pieces(body, 50), contentType, small)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    await expect(readMultipart(pieces(body, 50), contentType, small, 100_000)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    // A person who closes the tab mid-upload: the stream fails; the part written so far is removed.
    async function* aborted(): AsyncGenerator<Buffer> {
      yield body.subarray(0, body.length - 100);
      throw new Error('aborted');
    }
    await expect(readMultipart(aborted(), contentType, lim)).rejects.toThrow('aborted');
    expect(fs.readdirSync(tmp)).toEqual([]);
    fs.rmSync(tmp, { recursive: true });
  });

  it('holds at most a chunk in memory: a 40 MB upload is written out as it arrives', async () => {
    const boundary = 'b0undary';
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const total = 160; // × 256 KB = 40 MB
    let sent = 0;
    let peak = 0;
    const base = process.memoryUsage().arrayBuffers;
    async function* body(): AsyncGenerator<Buffer> {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="x.png"\r\n\r\n`);
      for (; sent < total; sent++) {
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
        yield chunk; // the same buffer each time: only the reader's own allocations count
      }
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    }
    const r = await readMultipart(body(), `multipart/form-data; boundary=${boundary}`, {
      maxFileBytes: 64 * 1024 * 1024,
      maxBodyBytes: 64 * 1024 * 1024,
    });
    const f = r.files.get('f')!;
    expect(f.size).toBe(total * chunk.length);
    expect(fs.statSync(f.path!).size).toBe(total * chunk.length);
    // A reader that kept the body would hold 40 MB; this one holds a chunk or two (plus garbage not yet collected).
    expect(peak).toBeLessThan(16 * 1024 * 1024);
    await removeUploads(r);
  });
});

describe('artwork processing', () => {
  it('recognises JPEG, PNG and WebP by their bytes only', async () => {
    expect(sniffImage(await makeImage(10, 10, 'png'))).toBe('png');
    expect(sniffImage(await makeImage(10, 10, 'jpeg'))).toBe('jpeg');
    expect(sniffImage(await makeImage(10, 10, 'webp'))).toBe('webp');
    expect(sniffImage(Buffer.from('GIF89a....'))).toBeNull();
    expect(sniffImage(Buffer.from('<svg'))).toBeNull();
  });
  it('makes 3000/1000/640/300 squares and a 1200×630 card, centre-cropping and never enlarging', async () => {
    const art = await processArtwork(await makeImage(1600, 1000, 'jpeg'));
    expect(art.cropped).toBe(true);
    expect(art.files.map((f) => [f.name, f.width, f.height])).toEqual([
      ['3000.jpg', 1000, 1000],
      ['1000.jpg', 1000, 1000],
      ['640.jpg', 640, 640],
      ['300.jpg', 300, 300],
      ['social.jpg', 1200, 630],
    ]);
    for (const f of art.files) {
      const m = await sharp(f.data).metadata();
      expect([m.format, m.width, m.height]).toEqual(['jpeg', f.width, f.height]);
    }
    // The centre (the yellow square) is kept: the middle pixel of the crop is yellow.
    const { data } = await sharp(art.files[3]!.data)
      .extract({ left: 150, top: 150, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[2]).toBeLessThan(120);
  });
  it('explains what is wrong', async () => {
    await expect(processArtwork(Buffer.alloc(0))).rejects.toThrow('The file is empty.');
    await expect(processArtwork(await makeImage(639, 2000))).rejects.toThrow(
      new ArtworkProblem('The image is 639×2000 pixels; artwork must be at least 640×640.'),
    );
    await expect(processArtwork(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100)]))).rejects.toThrow(
      /could not be read|not a valid JPEG/,
    );
  });
});
