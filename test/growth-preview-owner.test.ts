import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SRC, offenders, sourceFiles, tableWrites } from './helpers/table-owner.js';

/**
 * growth/previews/store.ts is the only writer of `previews`: a clip's row is written only after its
 * bytes are stored, and the old bytes are deleted only after the new row is — a write elsewhere
 * would skip that order and leave a row without bytes, or bytes without a row.
 */
const OWNER = path.join(SRC, 'growth', 'previews', 'store.ts');
const writes = tableWrites('previews');

describe('one owner for the previews table', () => {
  it('recognises the ways of writing it', () => {
    for (const w of [".updateTable('previews')", 'db.insertInto("previews")', 'DELETE FROM previews WHERE campaign_id = 1'])
      expect(writes(w), w).toHaveLength(1);
    for (const r of [".selectFrom('previews')", 'SELECT * FROM previews']) expect(writes(r), r).toHaveLength(0);
  });

  it('no file but src/growth/previews/store.ts writes previews', () => {
    const files = sourceFiles(SRC).filter((f) => f !== OWNER && !f.startsWith(MIGRATIONS));
    expect(offenders(files, writes)).toEqual([]);
    expect(writes(fs.readFileSync(OWNER, 'utf8')).length).toBeGreaterThan(0);
  });
});
