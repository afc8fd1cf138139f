import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SRC, offenders, sourceFiles, tableWrites } from './helpers/table-owner.js';

/**
 * growth/contests/store.ts is the only writer of `contests` and `contest_winners`: the seed is
 * written once with the contest, and a draw's winners and its frozen entries go in together,
 * which a write elsewhere would break (docs/contests.md).
 */
const OWNER = path.join(SRC, 'growth', 'contests', 'store.ts');

describe.each(['contests', 'contest_winners'])('one owner for the %s table', (table) => {
  const writes = tableWrites(table);
  it('no file but src/growth/contests/store.ts writes it', () => {
    const files = sourceFiles(SRC).filter((f) => f !== OWNER && !f.startsWith(MIGRATIONS));
    expect(offenders(files, writes)).toEqual([]);
    expect(writes(fs.readFileSync(OWNER, 'utf8')).length).toBeGreaterThan(0);
  });
});
