import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SRC, offenders, sourceFiles, tableWrites } from './helpers/table-owner.js';

/**
 * The pre-save lifecycle (src/presaves/lifecycle/) is the only writer of `presaves`: a write
 * anywhere else would be a transition nobody documented, counted or fenced. Migrations are the
 * schema's history and may rewrite rows once.
 */
const OWNER = path.join(SRC, 'presaves', 'lifecycle') + path.sep;
const writesPresaves = tableWrites('presaves');

describe('one owner for the presaves table', () => {
  it('recognises every way of writing it (so the scan below can fail)', () => {
    for (const w of [
      ".updateTable('presaves')",
      'db.insertInto("presaves")',
      'trx.deleteFrom(`presaves`)',
      'UPDATE presaves SET status = 1',
      '   update presaves set x = 1',
      'INSERT INTO presaves (id) VALUES (1)',
      'INSERT OR REPLACE INTO presaves VALUES (1)',
      'DELETE FROM presaves WHERE id = 1',
    ])
      expect(writesPresaves(w), w).toHaveLength(1);
    for (const r of [".selectFrom('presaves')", 'SELECT * FROM presaves', "updateTable('presaves_archive')", 'UPDATE grants SET x = 1'])
      expect(writesPresaves(r), r).toHaveLength(0);
  });

  it('no file outside src/presaves/lifecycle/ writes presaves', () => {
    const files = sourceFiles(SRC).filter((f) => !f.startsWith(OWNER) && !f.startsWith(MIGRATIONS));
    expect(files.length).toBeGreaterThan(50);
    expect(offenders(files, writesPresaves)).toEqual([]);
  });

  it('no file outside src/presaves/lifecycle/ hands the pre-save queue to the generic delivery builders', () => {
    const files = sourceFiles(SRC).filter((f) => !f.startsWith(OWNER));
    const offenders = files.filter((f) => /lifecycle\/queue(\.js)?['"]|PRESAVE_QUEUE/.test(fs.readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it('the lifecycle itself does write it (the scan looks at the right place)', () => {
    const owned = sourceFiles(OWNER).flatMap((f) => writesPresaves(fs.readFileSync(f, 'utf8')));
    expect(owned.length).toBeGreaterThan(5);
  });
});
