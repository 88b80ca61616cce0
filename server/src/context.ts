import type { SessionCache } from './auth/sessionCache';
import type { Config } from './config/env';
import type { KeyRing } from './crypto/secretBox';
import type { Database } from './db/client';
import type { Logger } from './logger';

/** Everything a request handler may need, built once at start-up and passed down explicitly. */
export interface AppContext {
  config: Config;
  database: Database;
  keyRing: KeyRing;
  logger: Logger;
  /** Live sessions kept in memory; absent (every check reads the database) where nothing invalidates it. */
  sessionCache?: SessionCache;
}
