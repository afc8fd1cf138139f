import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SRC, offenders, sourceFiles, tableWrites } from './helpers/table-owner.js';

/**
 * reach/push/subscriptions.ts is the only writer of `push_subscriptions` (like the pre-save lifecycle for
 * `presaves`: test/lifecycle-owner.test.ts): the subscription is stored encrypted with the AAD that
 * names its row, and deleted with what hangs on it; a write elsewhere would skip either.
 */
const OWNER = path.join(SRC, 'reach', 'push', 'subscriptions.ts');
const writes = tableWrites('push_subscriptions');

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
    expect(offenders(files, writes)).toEqual([]);
    expect(writes(fs.readFileSync(OWNER, 'utf8')).length).toBeGreaterThan(0);
  });
});
