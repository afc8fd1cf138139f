import type { Readable } from 'node:stream';

/**
 * Where vault files and preview clips live: one interface, two implementations — local disk
 * under the data directory (local.ts, the default) and S3-compatible object storage (s3.ts). The
 * database keeps what a blob is (type, size, name); the store keeps only its bytes under a key.
 * Keys are made by Dropday (growth/storage/keys.ts), never taken from a request.
 */
export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export interface BlobBody {
  body: Readable;
  /** The whole object's size in bytes (not the range's). */
  size: number;
}

export interface BlobStore {
  readonly kind: 'local' | 's3';
  /**
   * Stores the bytes of a local file (an upload's temporary file) under `key`, replacing any.
   * `sha256` (hex, as the multipart reader computed it) spares the S3 store a second read of the file.
   */
  put(key: string, file: string, o: { contentType: string; size: number; sha256?: string }): Promise<void>;
  /** The bytes (all, or the inclusive range), or null when there is no such object. */
  get(key: string, range?: ByteRange): Promise<BlobBody | null>;
  /** The object's size, or null when there is none. */
  size(key: string): Promise<number | null>;
  /** Deletes the object; deleting one that is not there is fine. */
  delete(key: string): Promise<void>;
  /** Lets go of what the store holds open (the S3 store's connection pool). */
  close?(): Promise<void>;
}

/** A store's failure the caller can word (unreachable, refused): never the credentials. */
export class BlobStoreError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
