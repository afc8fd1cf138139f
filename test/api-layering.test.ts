import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * The API and the app's pages are two faces on the same modules: neither imports the other's
 * routes or views, so a change to a page cannot change what the API answers (and the reverse).
 */
describe('layering', () => {
  it('src/api imports nothing from src/web', () => {
    const offenders = sources('src/api').filter((f) => /from '(\.\.\/)+web\//.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
