/**
 * One process deleting expired analytics events (test/analytics-retention.test.ts runs several at
 * once). argv: now, retention days, chunk. Prints the run as JSON.
 */
import { deleteExpiredEvents } from '../../src/analytics/retention.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/index.js';

const [now, days, chunk] = process.argv.slice(2).map(Number);
const handle = openDatabase(loadConfig(process.env));
try {
  const run = await deleteExpiredEvents(handle.db, handle.dialect, { now: now!, retentionDays: days!, chunk: chunk! });
  process.stdout.write(JSON.stringify(run));
} finally {
  await handle.close();
}
