import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../src/cli/doctor.js';
import { loadConfig } from '../src/config.js';
import { envFor } from './helpers/cli.js';
import { createTestDb, type TestDb } from './helpers/db.js';
import { startS3, type LocalS3 } from './helpers/s3rver.js';

/** `dropday doctor` says whether the configured blob store is reachable, and when S3 refuses the credentials. */
describe('dropday doctor: the blob store', () => {
  let t: TestDb;
  let s3: LocalS3;
  beforeAll(async () => {
    t = await createTestDb('sqlite');
    await t.close();
    s3 = await startS3();
  });
  afterAll(async () => {
    await s3?.close();
    await t?.drop();
  });

  const s3Env = (over: Record<string, string> = {}) => ({
    ...envFor(t),
    SANDBOX_ENABLED: 'false',
    BLOB_STORAGE: 's3',
    S3_ENDPOINT: s3.settings.endpoint,
    S3_BUCKET: s3.settings.bucket,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    ...over,
  });
  const storeLine = async (env: Record<string, string>, network = true) =>
    (await runDoctor(loadConfig(env), { network })).find((c) => c.what.startsWith('blob storage'));

  it('local disk: where the files go', async () => {
    expect(await storeLine({ ...envFor(t), SANDBOX_ENABLED: 'false' })).toEqual({
      level: 'ok',
      what: `blob storage: local disk at ${t.config.dataDir}/blobs`,
    });
  });

  it('S3: reachable with accepted credentials, refused credentials, a missing bucket, an unreachable endpoint', async () => {
    expect(await storeLine(s3Env())).toMatchObject({ level: 'ok', what: expect.stringContaining('reachable, credentials accepted') });
    const refused = await storeLine(s3Env({ S3_ACCESS_KEY_ID: 'WRONG', S3_SECRET_ACCESS_KEY: 'do-not-print-me' }));
    expect(refused).toMatchObject({ level: 'fail', what: expect.stringContaining('credentials refused') });
    expect(refused!.what).not.toContain('do-not-print-me');
    expect(await storeLine(s3Env({ S3_BUCKET: 'no-such-bucket' }))).toMatchObject({
      level: 'fail',
      what: expect.stringContaining('the bucket "no-such-bucket" does not exist'),
    });
    expect(await storeLine(s3Env({ S3_ENDPOINT: 'http://127.0.0.1:1' }))).toMatchObject({
      level: 'fail',
      what: expect.stringContaining('could not be reached'),
    });
    expect(await storeLine(s3Env(), false)).toMatchObject({ level: 'ok', what: expect.stringContaining('not contacted') });
  });
});
