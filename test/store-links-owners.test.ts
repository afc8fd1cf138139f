import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One owner per table for store links found automatically: `link_lookups` is written only by
 * src/links/lookup/state.ts (seed, lease claim, fenced settle), and `campaign_links` and
 * `campaign_link_dismissals` only by src/smartlink/ (so no look-up can write over an artist's link
 * some other way). Migrations are the schema's history.
 */
const SRC = path.resolve(__dirname, '../src');
const MIGRATIONS = path.join(SRC, 'db', 'migrations') + path.sep;

const writes = (table: string) => [
  new RegExp(`\\b(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\\(\\s*['"\`]${table}\\b`),
  new RegExp(`\\b(?:UPDATE|INSERT\\s+(?:OR\\s+\\w+\\s+)?INTO|DELETE\\s+FROM|REPLACE\\s+INTO|MERGE\\s+INTO)\\s+"?${table}\\b`, 'i'),
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

function offenders(table: string, owner: (file: string) => boolean): string[] {
  const res = writes(table);
  return sourceFiles(SRC)
    .filter((f) => !owner(f) && !f.startsWith(MIGRATIONS))
    .flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .filter((line) => res.some((re) => re.test(line)))
        .map((line) => `${path.relative(SRC, f)}: ${line.trim()}`),
    );
}

describe('one owner for each store-link table', () => {
  it('the scan sees a write (so it can fail)', () => {
    expect(offenders('link_lookups', () => false).length).toBeGreaterThan(0);
    expect(offenders('campaign_links', () => false).length).toBeGreaterThan(0);
  });

  it('link_lookups: only src/links/lookup/state.ts', () => {
    expect(offenders('link_lookups', (f) => f === path.join(SRC, 'links', 'lookup', 'state.ts'))).toEqual([]);
  });

  it('campaign_links and campaign_link_dismissals: only src/smartlink/', () => {
    const owner = (f: string) => f.startsWith(path.join(SRC, 'smartlink') + path.sep);
    expect(offenders('campaign_links', owner)).toEqual([]);
    expect(offenders('campaign_link_dismissals', owner)).toEqual([]);
  });
});
