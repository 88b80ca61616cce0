import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadAdoption, migrateOpsroomSchema } from './adopt/boot';
import { migrateOpsroomMysql } from './adopt/mysql/migrate';
import type { Adoption } from './adopt/resources';
import { createApp } from './app';
import { resourceModels } from './resources';
import { ensureDemoOperator } from './auth/operators';
import { SessionCache } from './auth/sessionCache';
import { openidClient } from './auth/sso/provider';
import { listenForSessionChanges, type SessionEventSource } from './auth/sessionEvents';
import type { Config } from './config/env';
import type { AppContext } from './context';
import { loadKeyRing } from './crypto/secretBox';
import { connectDatabase } from './db/client';
import { runMigrations } from './db/migrate';
import { copyTemplateInto } from './db/pgliteTemplate';
import { seedBadges } from './db/seed/badges';
import { hasDemoData, seedDemo } from './db/seed/demo';
import { consoleDistDir, ensureConsoleBuilt } from './http/ensureConsoleBuilt';
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
  /**
   * Listen while the console builds (`npm start`): the API and probes answer at once and the
   * console's pages say it is being built until Vite is done; a failed build is printed and its
   * pages say how to build it. Otherwise (tests, the browser suites) the build finishes first and
   * a failed build fails the start.
   */
  consoleInBackground?: boolean;
  /** With `demo`, the embedded database template an empty PGLITE_DIR starts from (default `.data/pglite-template`). */
  template?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  ctx: AppContext;
  server: Server;
  close(): Promise<void>;
}

function sessionEventSource(config: Config, database: Awaited<ReturnType<typeof connectDatabase>>): SessionEventSource {
  if (database.pglite) return { kind: 'pglite', client: database.pglite };
  if (database.mysql) return { kind: 'none', reason: 'MySQL has no LISTEN' };
  const cfg = config.database as Extract<Config['database'], { driver: 'pg' | 'neon' }>;
  if (cfg.driver === 'neon') return { kind: 'none', reason: "Neon's driver" };
  if (cfg.pooler) return { kind: 'none', reason: 'LISTEN does not survive a transaction pooler (DB_POOLER)' };
  return { kind: 'pg', url: cfg.url, ssl: cfg.ssl };
}

/** The one boot path, shared by `npm start` and every test: connect, migrate, seed, listen. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const { config } = opts;
  const print = opts.print ?? (() => {});
  const logger = opts.logger ?? createLogger();
  // A bad resource definition stops the boot before anything connects, with one line naming it.
  resourceModels();
  const keyRing = loadKeyRing(config.encryptionKey, opts.devKeyFile);
  if (config.oidc) await openidClient();
  // Vite builds on its own threads while the database opens, migrates and seeds: on a fresh
  // install the two were most of the wait, one after the other.
  const consoleReady = opts.console ? ensureConsoleBuilt({ print }) : undefined;
  consoleReady?.catch(() => {});
  // A first start on an empty embedded folder copies the database npm install prepared.
  const embedded = config.database.driver === 'pglite' && !config.database.dir.startsWith('memory://') ? config.database.dir : undefined;
  if (opts.demo && embedded && copyTemplateInto(embedded, keyRing, opts.template)) print('seed: demo data copied from the template npm install prepared (npm run prepare:start)');
  const database = await connectDatabase(config.database, {
    onPoolError: (err) => logger.warn({ err: err.message }, 'idle database connection lost'),
  });
  let adoption: Adoption | undefined;
  try {
    const target =
      database.pglite !== undefined
        ? ({ kind: 'pglite', client: database.pglite } as const)
        : ({ kind: 'pg', url: (config.database as { url: string }).url, ssl: (config.database as { ssl?: { rejectUnauthorized: boolean } }).ssl } as const);
    if (config.adoptFile && config.database.driver === 'mysql') {
      // An adopted MySQL/MariaDB database: opsroom's own tables only, in their own database when it may.
      const place = await migrateOpsroomMysql(config.database, (line) => print(`migrate opsroom tables: ${line}`));
      if (place.applied === 0) print('migrate: opsroom tables are up to date');
      adoption = await loadAdoption(database, config.adoptFile, place);
      print(`adopted: ${adoption.resources.size} resources from ${config.adoptFile} (MySQL)`);
    } else if (config.adoptFile) {
      // An adopted database: opsroom's own schema only, nothing seeded, the app's tables untouched.
      const applied = await migrateOpsroomSchema(target, (line) => print(`migrate opsroom schema: ${line}`));
      if (applied.length === 0) print('migrate: opsroom schema is up to date');
      adoption = await loadAdoption(database, config.adoptFile);
      print(`adopted: ${adoption.resources.size} resources from ${config.adoptFile}`);
    } else {
      if (config.migrations.onStart) {
        const { lockTimeoutMs, statementTimeoutMs } = config.migrations;
        const applied = await runMigrations(target, { log: (line) => print(`migrate: ${line}`), limits: { lockTimeoutMs, statementTimeoutMs } });
        if (applied.length === 0) print('migrate: database is up to date');
      } else {
        print('migrate: skipped (MIGRATE_ON_START=false; the deploy runs migrations in a one-off task)');
      }
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
    }
  } catch (err) {
    await database.close();
    throw err;
  }

  const sessionCache = new SessionCache();
  const sessionEvents = await listenForSessionChanges(sessionEventSource(config, database), sessionCache, logger).catch(async (err) => {
    await database.close();
    throw err;
  });
  const ctx: AppContext = { config, database, keyRing, logger, sessionCache };
  let consoleBuilding = false;
  if (consoleReady && opts.consoleInBackground) {
    consoleBuilding = true;
    consoleReady.then(
      () => {
        consoleBuilding = false;
      },
      (err: Error) => {
        consoleBuilding = false;
        print(`console: the build failed (${err.message}); the API is serving. Fix it, then npm run build:admin`);
      },
    );
  } else {
    try {
      await consoleReady;
    } catch (err) {
      await sessionEvents.close();
      await database.close();
      throw err;
    }
  }
  const app = createApp(ctx, { console: opts.console ? { distDir: consoleDistDir(), building: () => consoleBuilding } : undefined, adoption });
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
      })
        .then(() => sessionEvents.close())
        .then(() => database.close())),
  };
}
