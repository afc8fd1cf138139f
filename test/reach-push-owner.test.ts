import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * reach/push/subscriptions.ts is the only writer of `push_subscriptions` (like the pre-save lifecycle for
 * `presaves`: test/lifecycle-owner.test.ts): the subscription is stored encrypted with the AAD that
 * names its row, and deleted with what hangs on it; a write elsewhere would skip either.
 */
const SRC = path.resolve(__dirname, '../src');
const OWNER = path.join(SRC, 'reach', 'push', 'subscriptions.ts');
const MIGRATIONS = path.join(SRC, 'db', 'migrations') + path.sep;

const WRITES = [
  /\b(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*['"`]push_subscriptions\b/,
  /\b(?:UPDATE|INSERT\s+(?:OR\s+\w+\s+)?INTO|DELETE\s+FROM|REPLACE\s+INTO|MERGE\s+INTO)\s+"?push_subscriptions\b/i,
];

const writes = (source: string) => source.split('\n').filter((line) => WRITES.some((re) => re.test(line)));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

describe('one owner for the push_subscriptions table', () => {
  it('recognises the ways of writing it', () => {
    for (const w of [
      ".updateTable('push_subscriptions')",
      'db.insertInto("push_subscriptions")',
      'DELETE FROM push_subscriptions WHERE id = 1',
    ])
      expect(writes(w), w).toHaveLength(1);
    for (const r of [".selectFrom('push_subscriptions')", 'SELECT * FROM push_subscriptions']) expect(writes(r), r).toHaveLength(0);
  });

  it('no file but src/reach/push/subscriptions.ts writes push_subscriptions', () => {
    const files = sourceFiles(SRC).filter((f) => f !== OWNER && !f.startsWith(MIGRATIONS));
    const offenders = files.flatMap((f) => writes(fs.readFileSync(f, 'utf8')).map((l) => `${path.relative(SRC, f)}: ${l.trim()}`));
    expect(offenders).toEqual([]);
    expect(writes(fs.readFileSync(OWNER, 'utf8')).length).toBeGreaterThan(0);
  });
});
