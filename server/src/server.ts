import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from './app';
import { resourceModels } from './resources';
import { ensureDemoOperator } from './auth/operators';
import type { Config } from './config/env';
import type { AppContext } from './context';
import { loadKeyRing } from './crypto/secretBox';
import { connectDatabase } from './db/client';
import { runMigrations } from './db/migrate';
import { seedBadges } from './db/seed/badges';
import { hasDemoData, seedDemo } from './db/seed/demo';
import { ensureConsoleBuilt } from './http/ensureConsoleBuilt';
import { createLogger, type Logger } from './logger';

export interface StartOptions {
  config: Config;
  logger?: Logger;
  /** Seed the demo dataset when the database has no users yet (the embedded default does). */
  demo?: boolean;
  /** Where one-off progress lines go (migrations applied, demo seeded). */
  print?: (line: string) => void;
  /** Where the dev encryption key lives when OPSROOM_ENCRYPTION_KEY is unset. */
  devKeyFile?: string;
  /** Serve the react-admin console at `/`, building it first when missing or stale. */
  console?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  ctx: AppContext;
  server: Server;
  close(): Promise<void>;
}

/** The one boot path, shared by `npm start` and every test: connect, migrate, seed, listen. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const { config } = opts;
  const print = opts.print ?? (() => {});
  const logger = opts.logger ?? createLogger();
  // A bad resource definition stops the boot before anything connects, with one line naming it.
  resourceModels();
  const keyRing = loadKeyRing(config.encryptionKey, opts.devKeyFile);
  const database = await connectDatabase(config.database, {
    onPoolError: (err) => logger.warn({ err: err.message }, 'idle database connection lost'),
  });
  try {
    const target =
      database.pglite !== undefined
        ? ({ kind: 'pglite', client: database.pglite } as const)
        : ({ kind: 'pg', url: (config.database as { url: string }).url, ssl: (config.database as { ssl?: { rejectUnauthorized: boolean } }).ssl } as const);
    const applied = await runMigrations(target, { log: (line) => print(`migrate: ${line}`) });
    if (applied.length === 0) print('migrate: database is up to date');
    await seedBadges(database.db);
    if (opts.demo && !(await hasDemoData(database.db))) {
      const summary = await seedDemo(database.db, keyRing);
      print(`seed: demo data (${summary.users} users, ${summary.orders} orders, ${summary.generations} generations)`);
    }
    if (opts.demo) {
      const demo = await ensureDemoOperator(database.db);
      if (demo) print(`demo login (shown once): ${demo.email} / ${demo.password}`);
      else print('demo login: use your operator account (reset one with npm run admin:create -- --email <email> --reset)');
    }
  } catch (err) {
    await database.close();
    throw err;
  }

  const ctx: AppContext = { config, database, keyRing, logger };
  const consoleDir = opts.console ? (await ensureConsoleBuilt({ print })).distDir : undefined;
  const app = createApp(ctx, { consoleDir });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
    port,
    ctx,
    server,
    // Stop accepting, let in-flight requests finish, then release the database.
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }).then(() => database.close())),
  };
}
