import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SRC, offenders, sourceFiles, tableWrites } from './helpers/table-owner.js';

/**
 * src/growth/referrals/ is the only writer of `referral_codes` and `referrals`: a code is made with
 * its pre-save (codes.ts), a referral decided once when it arrives (decide.ts), and the artist's
 * review (review.ts) writes decisions and hidden names. src/growth/settings.ts is the only writer of
 * `growth_settings`.
 */
const REFERRALS = path.join(SRC, 'growth', 'referrals');
const WRITERS = {
  referral_codes: ['codes.ts', 'review.ts'].map((f) => path.join(REFERRALS, f)),
  referrals: ['decide.ts', 'review.ts'].map((f) => path.join(REFERRALS, f)),
  growth_settings: [path.join(SRC, 'growth', 'settings.ts')],
} as const;

describe('one owner for the referral tables', () => {
  for (const [table, owners] of Object.entries(WRITERS)) {
    it(`only its owner writes ${table} (${owners.map((f) => path.relative(SRC, f)).join(', ')})`, () => {
      const writes = tableWrites(table);
      const files = sourceFiles(SRC).filter((f) => !owners.includes(f) && !f.startsWith(MIGRATIONS));
      expect(offenders(files, writes)).toEqual([]);
      // Each listed writer really writes it: the list stays the truth, not a wildcard.
      for (const f of owners) expect(offenders([f], writes), f).not.toEqual([]);
    });
  }

  it('catches a writer outside the owners, however the call is wrapped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owner-'));
    const stray = path.join(dir, 'stray.ts');
    const shapes = [
      `await db.updateTable('referrals').set({ name_hidden: 1 }).execute();`,
      `await db\n  .insertInto(\n    'referral_codes',\n  )\n  .values(row)\n  .execute();`,
      'await sql`UPDATE referrals SET decision = ${d}`.execute(db);',
      'await sql`\n  DELETE FROM\n    referral_codes WHERE id = ${id}`.execute(db);',
    ];
    try {
      for (const source of shapes) {
        fs.writeFileSync(stray, source);
        const found = ['referrals', 'referral_codes'].flatMap((t) => offenders([stray], tableWrites(t)));
        expect(found, source).not.toEqual([]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
