import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { migrate, openDatabase } from './db/index.js';
import { createLogger } from './log.js';
import { createProviderRegistry } from './providers/registry.js';
import { loadEncryptionKeys } from './util/keys.js';
import { TokenCipher } from './util/token-cipher.js';

/** Opens the database (running migrations unless told not to) and builds the shared context. */
export async function createContext(
  config: Config,
  opts: { migrate?: boolean; now?: () => number; log?: AppContext['log'] } = {},
): Promise<AppContext & { close(): Promise<void> }> {
  const log = opts.log ?? createLogger(config.logLevel);
  const handle = openDatabase(config);
  if (opts.migrate !== false) {
    const applied = await migrate(handle, config.database.kind === 'postgres' ? config.database.schema : undefined);
    if (applied.length) log.info({ applied }, 'database migrations applied');
  }
  const now = opts.now ?? Date.now;
  const cipher = new TokenCipher(loadEncryptionKeys(config, log));
  return {
    config,
    db: handle.db,
    dialect: handle.dialect,
    cipher,
    log,
    providers: createProviderRegistry(config, now),
    now,
    close: () => handle.close(),
  };
}
