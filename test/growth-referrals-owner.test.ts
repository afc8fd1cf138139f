import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SRC, offenders, sourceFiles, tableWrites } from './helpers/table-owner.js';

/**
 * src/growth/referrals/ is the only writer of `referral_codes` and `referrals` (a code is made with
 * its pre-save, a referral decided once when it arrives: decide.ts); the artist's review (approve,
 * reject, hide a name) lives there too. src/growth/settings.ts is the only writer of `growth_settings`.
 */
const REFERRALS = path.join(SRC, 'growth', 'referrals') + path.sep;
const SETTINGS = path.join(SRC, 'growth', 'settings.ts');

describe('one owner for the referral tables', () => {
  for (const [table, owns] of [
    ['referral_codes', (f: string) => f.startsWith(REFERRALS)],
    ['referrals', (f: string) => f.startsWith(REFERRALS)],
    ['growth_settings', (f: string) => f === SETTINGS],
  ] as const) {
    it(`only its owner writes ${table}`, () => {
      const writes = tableWrites(table);
      const files = sourceFiles(SRC).filter((f) => !owns(f) && !f.startsWith(MIGRATIONS));
      expect(offenders(files, writes)).toEqual([]);
      expect(offenders(sourceFiles(SRC).filter(owns), writes).length).toBeGreaterThan(0);
    });
  }
});
