import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { S3Settings } from '../../src/growth/storage/s3.js';

/**
 * A local S3-compatible server for the S3 blob store's tests (s3rver, a devDependency, real HTTP).
 * Note: s3rver 3.7 checks that a V4-signed request names a known access key but does not recompute
 * the signature; the signing itself is checked against AWS's published example
 * (test/growth-blob-store.test.ts).
 */
interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (o: Record<string, unknown>) => S3rverInstance;

const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface LocalS3 {
  settings: S3Settings;
  port: number;
  close(): Promise<void>;
}

export async function startS3(bucket = 'dropday-vault'): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-s3-'));
  // serviceEndpoint: a virtual-host request to `<bucket>.s3.localhost` names its bucket like on AWS.
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    serviceEndpoint: 'localhost',
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    port,
    settings: {
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      pathStyle: true,
    },
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
