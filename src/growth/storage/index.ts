import type { AppContext } from '../../context.js';
import { LocalBlobStore } from './local.js';
import { S3BlobStore } from './s3.js';
import type { BlobStore } from './store.js';

export type { BlobStore, BlobBody, ByteRange } from './store.js';
export { BlobStoreError } from './store.js';
export { newBlobKey, isBlobKey } from './keys.js';

const byContext = new WeakMap<AppContext, BlobStore>();

/**
 * The configured blob store (BLOB_STORAGE=local|s3), one per context. Tests may hand a context a
 * store of their own with setBlobStore (the same tests run against both kinds).
 */
export function blobStore(ctx: AppContext): BlobStore {
  let store = byContext.get(ctx);
  if (!store) {
    const { storage } = ctx.config.growth;
    store =
      storage.kind === 's3' && storage.s3 ? new S3BlobStore(storage.s3, ctx.config.outboundTimeoutMs) : new LocalBlobStore(storage.dir);
    byContext.set(ctx, store);
  }
  return store;
}

/**
 * Closes the context's store (the S3 store's connection pool) when the app closes, so a graceful
 * shutdown does not wait on its kept-alive sockets; the next blobStore(ctx) makes a new one.
 */
export async function closeBlobStore(ctx: AppContext): Promise<void> {
  const store = byContext.get(ctx);
  byContext.delete(ctx);
  await store?.close?.();
}

export function setBlobStore(ctx: AppContext, store: BlobStore): void {
  byContext.set(ctx, store);
}
