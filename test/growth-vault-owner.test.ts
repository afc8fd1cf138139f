import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SRC, offenders, sourceFiles, tableWrites } from './helpers/table-owner.js';

/**
 * src/growth/vault/ is the only writer of the vault's tables: items.ts of `vault_items` (a file's
 * blob and its row come and go together), unlock.ts of `vault_unlocks`, downloads.ts of
 * `vault_downloads` (the per-fan limit lives in its one statement).
 */
const OWNERS = {
  vault_items: path.join(SRC, 'growth', 'vault', 'items.ts'),
  vault_unlocks: path.join(SRC, 'growth', 'vault', 'unlock.ts'),
  vault_downloads: path.join(SRC, 'growth', 'vault', 'downloads.ts'),
};

describe.each(Object.entries(OWNERS))('one owner for the %s table', (table, owner) => {
  const writes = tableWrites(table);
  it('recognises the ways of writing it', () => {
    for (const w of [
      `.updateTable('${table}')`,
      `db.insertInto("${table}")`,
      `DELETE FROM ${table} WHERE id = 1`,
      `INSERT INTO ${table} (a)`,
    ])
      expect(writes(w), w).toHaveLength(1);
    for (const r of [`.selectFrom('${table}')`, `SELECT * FROM ${table}`]) expect(writes(r), r).toHaveLength(0);
  });

  it(`no file but ${path.relative(SRC, owner)} writes ${table}`, () => {
    const files = sourceFiles(SRC).filter((f) => f !== owner && !f.startsWith(MIGRATIONS));
    expect(offenders(files, writes)).toEqual([]);
    expect(writes(fs.readFileSync(owner, 'utf8')).length).toBeGreaterThan(0);
  });
});
