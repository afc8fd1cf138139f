/** `npm run i18n:check`: exits 1 naming every problem in the catalogs (check.ts). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCatalogs, readSources, type Catalogs } from './check.js';
import { AREAS } from './messages/index.js';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const problems = checkCatalogs(AREAS as unknown as Catalogs, readSources(src));
if (problems.length) {
  console.error(`i18n: ${problems.length} problem(s) in the catalogs:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`i18n: ${Object.keys(AREAS).length} areas, every language complete and consistent`);
