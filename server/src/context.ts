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
}
