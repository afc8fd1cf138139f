import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SRC, offenders, sourceFiles, tableWrites } from './helpers/table-owner.js';

/**
 * reach/forever/store.ts is the only writer of `forever_saves` (like the pre-save lifecycle for
 * `presaves`: test/lifecycle-owner.test.ts): starting, stopping and erasing a forever save each
 * carry their consent and messages with them, which a write elsewhere would skip.
 */
const OWNER = path.join(SRC, 'reach', 'forever', 'store.ts');
const writes = tableWrites('forever_saves');

describe('one owner for the forever_saves table', () => {
  it('recognises the ways of writing it', () => {
    for (const w of [".updateTable('forever_saves')", 'db.insertInto("forever_saves")', 'DELETE FROM forever_saves WHERE id = 1'])
      expect(writes(w), w).toHaveLength(1);
    for (const r of [".selectFrom('forever_saves')", 'SELECT * FROM forever_saves']) expect(writes(r), r).toHaveLength(0);
  });

  it('no file but src/reach/forever/store.ts writes forever_saves', () => {
    const files = sourceFiles(SRC).filter((f) => f !== OWNER && !f.startsWith(MIGRATIONS));
    expect(offenders(files, writes)).toEqual([]);
    expect(writes(fs.readFileSync(OWNER, 'utf8')).length).toBeGreaterThan(0);
  });
});
