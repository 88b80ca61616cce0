#!/usr/bin/env tsx
/**
 * `npm run db:restore -- <file>`: loads a backup written by `npm run db:export` into the configured
 * database: a `.sql` dump into DATABASE_URL through psql, a `.pglite.tar.gz` into PGLITE_DIR.
 * Refuses a target that already holds tables unless --force, which empties it first.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { ConfigError, databaseUrlVariable, isMysqlDatabaseUrl, loadEnvFiles, readConfig, type DatabaseConfig } from '../server/src/config/env';
import { PGLITE_EXTENSIONS } from '../server/src/db/client';
import { describeFailure } from '../server/src/db/errors';

const HELP = `Usage: npm run db:restore -- <backup file> [--force] [--psql <path>]

Restores a backup from npm run db:export (PostgreSQL or embedded; a MySQL dump goes in with mysql):
  backups/<timestamp>.sql           into DATABASE_URL, through psql, in one transaction
  backups/<timestamp>.pglite.tar.gz into the embedded database folder PGLITE_DIR

The target must be empty (no tables in public or drizzle, or no PGLITE_DIR folder). --force
empties it first: it DROPS the public and drizzle schemas, or deletes the PGLITE_DIR folder.

  --force          replace whatever the target holds
  --psql <path>    the psql to run (default psql on PATH)
  --help           show this text`;

function psqlRun(psql: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(psql, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => reject((err as { code?: string }).code === 'ENOENT' ? new ConfigError(`${psql} was not found: install the PostgreSQL client (apt-get install postgresql-client) or pass --psql <path>.`) : err));
    child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

async function restorePostgres(cfg: Extract<DatabaseConfig, { url: string }>, file: string, force: boolean, psql: string) {
  const variable = databaseUrlVariable() ?? 'DATABASE_URL';
  if (file.endsWith('.pglite.tar.gz')) throw new ConfigError(`${file} is an embedded (PGlite) backup: unset ${variable} and set PGLITE_DIR to restore it.`);
  const client = new pg.Client({ connectionString: cfg.url, ssl: cfg.ssl, application_name: 'opsroom-restore' });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("select count(*)::int as n from information_schema.tables where table_schema in ('public', 'drizzle')");
    if (rows[0]!.n > 0) {
      if (!force) throw new ConfigError(`${variable} already holds ${rows[0]!.n} tables: restore into an empty database, or pass --force to drop the public and drizzle schemas first.`);
      await client.query('DROP SCHEMA IF EXISTS drizzle CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    }
  } finally {
    await client.end();
  }
  const url = new URL(cfg.url);
  const env: NodeJS.ProcessEnv = { ...process.env, PGPASSWORD: decodeURIComponent(url.password), PGAPPNAME: 'opsroom-restore' };
  url.password = '';
  if (cfg.ssl && !url.searchParams.has('sslmode')) env.PGSSLMODE = 'require';
  const result = await psqlRun(psql, ['--dbname', url.toString(), '--no-psqlrc', '--quiet', '--set', 'ON_ERROR_STOP=1', '--single-transaction', '--file', file], env);
  if (result.code !== 0) throw new ConfigError(`psql failed, nothing was restored: ${result.stderr.trim().split('\n')[0]?.replace(/^psql:\s*/, '') || `exit code ${result.code}`}`);
}

async function restorePglite(dir: string, file: string, force: boolean) {
  if (!file.endsWith('.pglite.tar.gz')) throw new ConfigError(`${file} is not an embedded (PGlite) backup: set DATABASE_URL to restore a .sql dump into PostgreSQL.`);
  if (existsSync(dir) && readdirSync(dir).length) {
    if (!force) throw new ConfigError(`PGLITE_DIR ${dir} already holds a database: restore into a new folder, or pass --force to replace it.`);
    rmSync(dir, { recursive: true, force: true });
  }
  const client = await PGlite.create(dir, { extensions: PGLITE_EXTENSIONS, loadDataDir: new Blob([readFileSync(file)]) });
  try {
    await client.query('select 1');
  } finally {
    await client.close();
  }
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { force: { type: 'boolean' }, psql: { type: 'string', default: 'psql' }, help: { type: 'boolean' } } });
  if (values.help) return console.log(HELP);
  loadEnvFiles();
  // First, before readConfig and any connection, as in db:export: psql against a MySQL server fails obscurely.
  if (isMysqlDatabaseUrl()) {
    throw new ConfigError('DATABASE_URL is a MySQL/MariaDB database, and db:restore loads PostgreSQL or embedded backups only: restore a mysqldump file with mysql <database> < backup.sql.');
  }
  const [file] = positionals;
  if (!file) throw new ConfigError('name the backup file: npm run db:restore -- backups/<file>. See --help.');
  if (!existsSync(file)) throw new ConfigError(`${file} does not exist.`);
  const { database } = readConfig();
  if (database.driver === 'pglite') await restorePglite(database.dir, file, Boolean(values.force));
  else await restorePostgres(database, file, Boolean(values.force), values.psql);
  console.log(`db:restore: restored ${file}`);
}

main(process.argv.slice(2)).catch((err) => {
  const line = describeFailure(err);
  console.error(`db:restore: ${line ?? (err as Error).message}`);
  if (!line) console.error((err as Error).stack);
  process.exit(1);
});
