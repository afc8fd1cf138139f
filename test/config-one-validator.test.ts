import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

/**
 * Every setting is read by one validator (loadConfig) that each command runs before it touches the
 * database: a bad session timeout or mail URL is refused by doctor, serve, worker and migrate alike,
 * all problems at once, and no database is created or migrated.
 */
describe('one configuration validator for every command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropday-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([['doctor', '--no-network'], ['serve'], ['worker'], ['migrate']])(
    '`dropday %s` refuses SESSION_IDLE_MINUTES=soon and SMTP_URL=mail.example before opening the database',
    async (...args) => {
      const dataDir = path.join(dir, args[0]!);
      const file = path.join(dataDir, 'dropday.sqlite');
      const r = await runCli(args, {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        DATABASE_URL: `sqlite:${file}`,
        DEMO: 'false',
        SESSION_IDLE_MINUTES: 'soon',
        SMTP_URL: 'mail.example',
      });
      expect(r.code).toBe(78);
      expect(r.stderr).toMatch(/SESSION_IDLE_MINUTES/);
      expect(r.stderr).toMatch(/SMTP_URL must start with smtp:\/\/ or smtps:\/\//);
      expect(r.stdout).not.toMatch(/No problems found|Applied|running/);
      expect(fs.existsSync(file)).toBe(false);
    },
  );
});
