import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isBlobKey } from './keys.js';
import { BlobStoreError, type BlobBody, type BlobStore, type ByteRange } from './store.js';

/**
 * Blobs on local disk under one folder (DATA_DIR/blobs by default). A file is written to a
 * temporary name beside its place and renamed, so a reader never sees half a file and a crash
 * leaves no partial blob under a real key. A failing disk (full, read-only, not a folder, I/O
 * error) is a BlobStoreError like an S3 outage: the pages answer 503 with Retry-After, not a 500.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;

  constructor(private readonly root: string) {}

  #path(key: string): string {
    if (!isBlobKey(key)) throw new BlobStoreError(`not a blob key: ${JSON.stringify(key.slice(0, 80))}`);
    return path.join(this.root, ...key.split('/'));
  }

  /** Runs one disk call; a file-system error becomes a BlobStoreError naming the call, key and errno. */
  async #disk<T>(call: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof BlobStoreError) throw err;
      const e = err as NodeJS.ErrnoException;
      throw new BlobStoreError(`disk ${call} ${key}: ${e.code ?? e.message}`);
    }
  }

  async put(key: string, file: string): Promise<void> {
    const target = this.#path(key);
    const tmp = `${target}.${process.pid}.partial`;
    await this.#disk('PUT', key, async () => {
      await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      try {
        await pipeline(fs.createReadStream(file), fs.createWriteStream(tmp, { mode: 0o600 }));
        await fs.promises.rename(tmp, target);
      } catch (err) {
        await fs.promises.rm(tmp, { force: true }).catch(() => {});
        throw err;
      }
    });
  }

  async get(key: string, range?: ByteRange): Promise<BlobBody | null> {
    const p = this.#path(key);
    return this.#disk('GET', key, async () => {
      let handle: fs.promises.FileHandle;
      try {
        handle = await fs.promises.open(p, 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      try {
        const { size } = await handle.stat();
        const body = handle.createReadStream(range ? { start: range.start, end: range.end } : {});
        return { body, size };
      } catch (err) {
        await handle.close().catch(() => {});
        throw err;
      }
    });
  }

  async size(key: string): Promise<number | null> {
    const p = this.#path(key);
    return this.#disk('HEAD', key, async () => {
      try {
        return (await fs.promises.stat(p)).size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    });
  }

  async delete(key: string): Promise<void> {
    const p = this.#path(key);
    await this.#disk('DELETE', key, () => fs.promises.rm(p, { force: true }));
  }
}
