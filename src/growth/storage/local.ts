import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isBlobKey } from './keys.js';
import { BlobStoreError, type BlobBody, type BlobStore, type ByteRange } from './store.js';

/**
 * Blobs on local disk under one folder (DATA_DIR/blobs by default). A file is written to a
 * temporary name beside its place and renamed, so a reader never sees half a file and a crash
 * leaves no partial blob under a real key.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;

  constructor(private readonly root: string) {}

  #path(key: string): string {
    if (!isBlobKey(key)) throw new BlobStoreError(`not a blob key: ${JSON.stringify(key.slice(0, 80))}`);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, file: string): Promise<void> {
    const target = this.#path(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.${process.pid}.partial`;
    try {
      await pipeline(fs.createReadStream(file), fs.createWriteStream(tmp, { mode: 0o600 }));
      await fs.promises.rename(tmp, target);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string, range?: ByteRange): Promise<BlobBody | null> {
    const p = this.#path(key);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(p, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const { size } = await handle.stat();
    const body = handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    return { body, size };
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await fs.promises.stat(this.#path(key))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.#path(key), { force: true });
  }
}
