import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * reach/forever/store.ts is the only writer of `forever_saves` (like the pre-save lifecycle for
 * `presaves`: test/lifecycle-owner.test.ts): starting, stopping and erasing a forever save each
 * carry their consent and messages with them, which a write elsewhere would skip.
 */
const SRC = path.resolve(__dirname, '../src');
const OWNER = path.join(SRC, 'reach', 'forever', 'store.ts');
const MIGRATIONS = path.join(SRC, 'db', 'migrations') + path.sep;

const WRITES = [
  /\b(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*['"`]forever_saves\b/,
  /\b(?:UPDATE|INSERT\s+(?:OR\s+\w+\s+)?INTO|DELETE\s+FROM|REPLACE\s+INTO|MERGE\s+INTO)\s+"?forever_saves\b/i,
];

const writes = (source: string) => source.split('\n').filter((line) => WRITES.some((re) => re.test(line)));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

describe('one owner for the forever_saves table', () => {
  it('recognises the ways of writing it', () => {
    for (const w of [".updateTable('forever_saves')", 'db.insertInto("forever_saves")', 'DELETE FROM forever_saves WHERE id = 1'])
      expect(writes(w), w).toHaveLength(1);
    for (const r of [".selectFrom('forever_saves')", 'SELECT * FROM forever_saves']) expect(writes(r), r).toHaveLength(0);
  });

  it('no file but src/reach/forever/store.ts writes forever_saves', () => {
    const files = sourceFiles(SRC).filter((f) => f !== OWNER && !f.startsWith(MIGRATIONS));
    const offenders = files.flatMap((f) => writes(fs.readFileSync(f, 'utf8')).map((l) => `${path.relative(SRC, f)}: ${l.trim()}`));
    expect(offenders).toEqual([]);
    expect(writes(fs.readFileSync(OWNER, 'utf8')).length).toBeGreaterThan(0);
  });
});
