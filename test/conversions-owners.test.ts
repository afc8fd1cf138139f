import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SRC, offenders, sourceFiles, tableWrites } from './helpers/table-owner.js';

/**
 * One owner per conversions table (docs/conversions.md): `conversion_settings` only in
 * conversions/settings.ts (tokens encrypted there, with the AAD naming campaign and platform),
 * `conversion_consents` only in conversions/consent.ts, `conversion_events` only in
 * conversions/events/ (one file per transition).
 */
const OWNERS: [string, (file: string) => boolean, string][] = [
  ['conversion_settings', (f) => f === path.join(SRC, 'conversions', 'settings.ts'), path.join(SRC, 'conversions', 'settings.ts')],
  ['conversion_consents', (f) => f === path.join(SRC, 'conversions', 'consent.ts'), path.join(SRC, 'conversions', 'consent.ts')],
  [
    'conversion_events',
    (f) => f.startsWith(path.join(SRC, 'conversions', 'events') + path.sep),
    path.join(SRC, 'conversions', 'events', 'enqueue.ts'),
  ],
];

describe('one owner for each conversions table', () => {
  it.each(OWNERS)('%s has one writer', (table, isOwner, ownerFile) => {
    const writes = tableWrites(table);
    const files = sourceFiles(SRC).filter((f) => !isOwner(f) && !f.startsWith(MIGRATIONS));
    expect(offenders(files, writes)).toEqual([]);
    expect(writes(fs.readFileSync(ownerFile, 'utf8')).length).toBeGreaterThan(0);
  });
});
