import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Db, Dialect } from './db/index.js';
import type { ProviderRegistry } from './providers/registry.js';
import type { TokenCipher } from './util/token-cipher.js';

/** What every part of Dropday needs, built once per process by `createContext`. */
export interface AppContext {
  config: Config;
  db: Db;
  dialect: Dialect;
  cipher: TokenCipher;
  log: Logger;
  providers: ProviderRegistry;
  /** Epoch ms. A seam for tests; production uses Date.now. */
  now(): number;
}
