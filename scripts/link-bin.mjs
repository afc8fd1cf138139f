// Makes `npx dropday …` work inside a clone of this repository: npm links the bins of
// dependencies into node_modules/.bin, but never the project's own. Idempotent.
import fs from 'node:fs';
import path from 'node:path';

const binDir = path.resolve('node_modules/.bin');
const target = path.join(binDir, 'dropday');
fs.mkdirSync(binDir, { recursive: true });
try {
  fs.rmSync(target, { force: true });
  fs.symlinkSync(path.relative(binDir, path.resolve('dist/cli.js')), target);
  fs.chmodSync(path.resolve('dist/cli.js'), 0o755);
} catch (err) {
  console.warn(`could not link node_modules/.bin/dropday (${err.message}); use \`npm run dropday -- …\` instead`);
}
