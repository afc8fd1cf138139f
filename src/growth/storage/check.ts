import type { Config } from '../../config.js';
import { S3BlobStore } from './s3.js';
import { BlobStoreError } from './store.js';

/** A key no upload ever gets (random keys are 24 random characters): asking for it costs nothing and finds nothing. */
const PROBE = 'vault/0/dropdaydoctorprobe000000';

/**
 * `dropday doctor`'s look at the blob store: local disk needs nothing; S3 is asked for a key
 * that does not exist — NoSuchKey means reachable with working credentials and bucket, 403 that the
 * credentials were refused, NoSuchBucket that the bucket is not there.
 */
export async function checkBlobStore(config: Config, network: boolean): Promise<{ level: 'ok' | 'warn' | 'fail'; what: string }> {
  const { storage } = config.growth;
  if (storage.kind === 'local' || !storage.s3) return { level: 'ok', what: `blob storage: local disk at ${storage.dir}` };
  const where = `${storage.s3.endpoint} bucket "${storage.s3.bucket}"`;
  if (!network) return { level: 'ok', what: `blob storage: S3 at ${where} (not contacted: --no-network)` };
  const store = new S3BlobStore(storage.s3, Math.min(config.outboundTimeoutMs, 10_000));
  try {
    await store.probe(PROBE);
    return { level: 'ok', what: `blob storage: S3 at ${where} reachable, credentials accepted` };
  } catch (err) {
    if (err instanceof BlobStoreError && err.status === 403)
      return {
        level: 'fail',
        what: `blob storage: S3 at ${where}: credentials refused (check S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION)`,
      };
    return { level: 'fail', what: `blob storage: ${(err as Error).message}` };
  } finally {
    await store.close();
  }
}
