import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { LookupFunction } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStoreError, newBlobKey, type BlobStore } from '../src/growth/storage/index.js';
import { LocalBlobStore } from '../src/growth/storage/local.js';
import { S3BlobStore } from '../src/growth/storage/s3.js';
import { authorization } from '../src/growth/storage/sigv4.js';
import { startS3, type LocalS3 } from './helpers/s3rver.js';

/**
 * ONE contract for every BlobStore: the local disk store and the S3 store talking real HTTP to a
 * local S3-compatible server (s3rver) — path-style and virtual-host style — must answer alike.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-blob-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(bytes: Buffer): string {
  const p = path.join(tmp, randomBytes(6).toString('hex'));
  fs.writeFileSync(p, bytes);
  return p;
}

async function read(body: Readable): Promise<{ bytes: Buffer; chunks: number; largest: number }> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(c as Buffer);
  return { bytes: Buffer.concat(parts), chunks: parts.length, largest: Math.max(0, ...parts.map((p) => p.length)) };
}

/** `<bucket>.s3.localhost` is not in DNS here: the virtual-host store's connections go to 127.0.0.1. */
const loopback: LookupFunction = (_host, options, cb) => {
  if ((options as { all?: boolean }).all)
    (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
};

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
});

const kinds: [string, () => BlobStore & { close?: () => Promise<void> }][] = [
  ['local disk', () => new LocalBlobStore(fs.mkdtempSync(path.join(tmp, 'root-')))],
  ['S3 path-style (s3rver)', () => new S3BlobStore(s3.settings, 5_000)],
  [
    'S3 virtual-host style (s3rver)',
    () => new S3BlobStore({ ...s3.settings, endpoint: `http://s3.localhost:${s3.port}`, pathStyle: false }, 5_000, { lookup: loopback }),
  ],
];

describe.each(kinds)('BlobStore contract: %s', (_name, make) => {
  let store: ReturnType<typeof make>;
  beforeAll(() => {
    store = make();
  });
  afterAll(async () => {
    await store.close?.();
  });
  const bytes = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

  it('puts, gets whole, tells the size, deletes; a missing key is null', async () => {
    const key = newBlobKey('vault', 7);
    await store.put(key, file(bytes), { contentType: 'application/pdf', size: bytes.length });
    expect(await store.size(key)).toBe(bytes.length);
    const whole = await store.get(key);
    expect(whole!.size).toBe(bytes.length);
    expect((await read(whole!.body)).bytes.toString()).toBe(bytes.toString());
    await store.delete(key);
    expect(await store.size(key)).toBeNull();
    expect(await store.get(key)).toBeNull();
    // Deleting what is not there is fine.
    await store.delete(key);
    expect(await store.get(newBlobKey('preview', 7))).toBeNull();
  });

  it('answers ranges: first bytes, middle, suffix (as start/end), past the end', async () => {
    const key = newBlobKey('vault', 8);
    await store.put(key, file(bytes), { contentType: 'application/pdf', size: bytes.length });
    const at = async (start: number, end: number) => {
      const b = await store.get(key, { start, end });
      return { size: b!.size, text: (await read(b!.body)).bytes.toString() };
    };
    expect(await at(0, 3)).toEqual({ size: 36, text: '0123' });
    expect(await at(10, 15)).toEqual({ size: 36, text: 'abcdef' });
    expect(await at(30, 35)).toEqual({ size: 36, text: 'uvwxyz' });
    // An end past the last byte stops at the last byte; a start past it gives no bytes.
    expect(await at(34, 99)).toEqual({ size: 36, text: 'yz' });
    expect(await at(40, 50)).toEqual({ size: 36, text: '' });
  });

  it('replaces an object put again under the same key', async () => {
    const key = newBlobKey('preview', 9);
    await store.put(key, file(Buffer.from('first')), { contentType: 'audio/mpeg', size: 5 });
    await store.put(key, file(Buffer.from('second!')), { contentType: 'audio/mpeg', size: 7 });
    expect((await read((await store.get(key))!.body)).bytes.toString()).toBe('second!');
  });

  it('streams a big file both ways without holding it whole', async () => {
    const big = randomBytes(6 * 1024 * 1024);
    const key = newBlobKey('vault', 10);
    const sha256 = createHash('sha256').update(big).digest('hex');
    await store.put(key, file(big), { contentType: 'video/mp4', size: big.length, sha256 });
    expect(await store.size(key)).toBe(big.length);
    const got = await read((await store.get(key))!.body);
    expect(createHash('sha256').update(got.bytes).digest('hex')).toBe(sha256);
    // Arrived in many pieces, none near the whole.
    expect(got.chunks).toBeGreaterThan(4);
    expect(got.largest).toBeLessThan(big.length / 4);
    await store.delete(key);
  });

  it('refuses keys that are not blob keys (no path can leave the store’s root)', async () => {
    for (const bad of [
      '../etc/passwd',
      'vault/1/../../x',
      'vault/1/short',
      '/vault/1/abcdefghijklmnopqrstuvwx',
      'other/1/abcdefghijklmnopqrstuvwx',
    ]) {
      await expect(store.get(bad)).rejects.toBeInstanceOf(BlobStoreError);
      await expect(store.size(bad)).rejects.toBeInstanceOf(BlobStoreError);
      await expect(store.delete(bad)).rejects.toBeInstanceOf(BlobStoreError);
      await expect(store.put(bad, file(bytes), { contentType: 'application/pdf', size: bytes.length })).rejects.toBeInstanceOf(
        BlobStoreError,
      );
    }
  });
});

describe('local disk store: a failing disk', () => {
  it('is a BlobStoreError naming the call and the errno (answered 503, not 500), and nothing half-written stays', async () => {
    // The folder the store should write under is a file: every call fails as on a broken mount.
    const notAFolder = file(Buffer.from('x'));
    const store = new LocalBlobStore(notAFolder);
    const key = newBlobKey('vault', 9);
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e,
      );
    for (const [call, run] of [
      ['PUT', () => store.put(key, file(Buffer.from('bytes')))],
      ['GET', () => store.get(key)],
      ['HEAD', () => store.size(key)],
    ] as const) {
      const err = await failure(run());
      expect(err).toBeInstanceOf(BlobStoreError);
      expect((err as Error).message).toMatch(new RegExp(`^disk ${call} ${key}: E[A-Z]+$`));
    }
    expect(fs.readFileSync(notAFolder, 'utf8')).toBe('x');
    // A put that fails half-way (here: the upload's temporary file is gone) leaves no partial file.
    const root = fs.mkdtempSync(path.join(tmp, 'full-'));
    const full = new LocalBlobStore(root);
    const err = await failure(full.put(key, path.join(tmp, 'no-such-upload')));
    expect(err).toBeInstanceOf(BlobStoreError);
    expect((err as Error).message).toContain('ENOENT');
    const left = fs.readdirSync(root, { recursive: true }).map(String);
    expect(left.filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(await full.size(key)).toBeNull();
  });
});

describe('S3 store: signing and refusals', () => {
  it('signs exactly like AWS’s published example (GET /test.txt with a Range)', () => {
    // docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "Example: GET Object".
    const header = authorization(
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
      {
        method: 'GET',
        path: '/test.txt',
        headers: {
          host: 'examplebucket.s3.amazonaws.com',
          range: 'bytes=0-9',
          'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'x-amz-date': '20130524T000000Z',
        },
        payloadSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        amzDate: '20130524T000000Z',
      },
    );
    expect(header).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('builds path-style and virtual-host addresses', () => {
    const key = 'vault/3/abcdefghijklmnopqrstuvwx';
    const base = {
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      region: 'eu-west-1',
      bucket: 'my-bucket',
      accessKeyId: 'a',
      secretAccessKey: 'b',
    };
    expect(new S3BlobStore({ ...base, pathStyle: true }, 1000).urlOf(key).href).toBe(`https://s3.eu-west-1.amazonaws.com/my-bucket/${key}`);
    expect(new S3BlobStore({ ...base, pathStyle: false }, 1000).urlOf(key).href).toBe(
      `https://my-bucket.s3.eu-west-1.amazonaws.com/${key}`,
    );
  });

  it('refused credentials, a missing bucket and an unreachable store are clear errors without any secret', async () => {
    const secret = 'very-secret-value-123';
    const key = newBlobKey('vault', 1);
    const wrongKey = new S3BlobStore({ ...s3.settings, accessKeyId: 'NOT-A-KEY', secretAccessKey: secret }, 5_000);
    const refused = await wrongKey.put(key, file(Buffer.from('x')), { contentType: 'application/pdf', size: 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BlobStoreError);
    expect((refused as BlobStoreError).status).toBe(403);
    expect((refused as Error).message).toContain('refused the credentials (InvalidAccessKeyId)');
    const headRefused = await wrongKey.size(key).catch((e: unknown) => e);
    expect((headRefused as Error).message).toMatch(/S3 HEAD vault\/1\/\S+: the store refused the credentials/);
    for (const e of [refused, headRefused]) {
      expect((e as Error).message).not.toContain(secret);
      expect((e as Error).message).not.toMatch(/Signature=|AWS4-HMAC/);
    }
    await wrongKey.close();

    const noBucket = new S3BlobStore({ ...s3.settings, bucket: 'not-there' }, 5_000);
    const missing = await noBucket.put(key, file(Buffer.from('x')), { contentType: 'application/pdf', size: 1 }).catch((e: unknown) => e);
    expect((missing as Error).message).toContain('the bucket "not-there" does not exist');
    await noBucket.close();

    const closedPort = new S3BlobStore({ ...s3.settings, endpoint: 'http://127.0.0.1:1' }, 2_000);
    const down = await closedPort.size(key).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(BlobStoreError);
    expect((down as Error).message).toMatch(/S3 HEAD vault\/1\/\S+: 127\.0\.0\.1:1 could not be reached \(ECONNREFUSED\)/);
    await closedPort.close();
  });
});
