#!/usr/bin/env tsx
/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded PGlite). */
import { AppRoleError, appRoleFromEnv, ensureAppRoleAt } from '../server/src/db/appRole';
import { ConfigError, loadEnvFiles, readConfig } from '../server/src/config/env';
import { openPglite } from '../server/src/db/client';
import { describeFailure } from '../server/src/db/errors';
import { runMigrations } from '../server/src/db/migrate';

if (process.argv.includes('--help')) {
  console.log(`Usage: npm run db:migrate

Applies pending SQL migrations from drizzle/ to DATABASE_URL, or to the embedded
PGlite in PGLITE_DIR (default ./.data/pglite) when DATABASE_URL is unset.

With OPSROOM_APP_DB_USER and OPSROOM_APP_DB_PASSWORD set, DATABASE_URL is the migrator (the
database owner) and afterwards the app's own login role is created or given that password, with
row access only (SELECT, INSERT, UPDATE, DELETE; no DDL). See infra/README.md, "Database roles".`);
  process.exit(0);
}

async function main() {
  loadEnvFiles();
  const { database, migrations } = readConfig();
  const limits = { lockTimeoutMs: migrations.lockTimeoutMs, statementTimeoutMs: migrations.statementTimeoutMs };
  const log = (line: string) => console.log(line);
  const appRole = appRoleFromEnv();
  if (database.driver === 'mysql') throw new ConfigError('db:migrate runs opsroom\'s built-in schema, which needs PostgreSQL; on an adopted MySQL database npm start (or npm run admin:create) applies opsroom\'s own tables.');
  if (appRole && database.driver === 'pglite') throw new ConfigError('OPSROOM_APP_DB_USER needs DATABASE_URL: the embedded database has a single user.');
  let applied: string[];
  if (database.driver === 'pglite') {
    const client = await openPglite(database.dir);
    try {
      applied = await runMigrations({ kind: 'pglite', client }, { log });
    } finally {
      await client.close();
    }
  } else {
    // The advisory lock that keeps two runners apart is session-level; a transaction pooler hands
    // each statement to any backend, so the lock (and SET-based safety) would silently not hold.
    if (database.pooler) {
      throw new ConfigError('DATABASE_URL points at a transaction pooler (DB_POOLER, port 6543 or a Neon -pooler host): run migrations over the direct connection string.');
    }
    applied = await runMigrations({ kind: 'pg', url: database.url, ssl: database.ssl }, { log, limits });
    // After the migrations, so the grants cover the tables they just created.
    if (appRole) log(`app role ${appRole.name} ${await ensureAppRoleAt({ url: database.url, ssl: database.ssl }, appRole)}: row access only`);
  }
  console.log(applied.length ? `${applied.length} migration(s) applied` : 'nothing to apply: the database is up to date');
}

main().catch((err) => {
  if (err instanceof AppRoleError) {
    console.error(`db:migrate: ${err.message}`);
    process.exit(1);
  }
  console.error(`db:migrate: ${describeFailure(err) ?? (err as Error).message}`);
  process.exit(1);
});
