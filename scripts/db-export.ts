#!/usr/bin/env tsx
/**
 * `npm run db:export`: a backup of the whole database in backups/. On PostgreSQL, a plain SQL dump
 * from pg_dump (checked against the server's major version first); on the embedded PGlite, a tarball
 * of its data folder.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ConfigError, isMysqlDatabaseUrl, loadEnvFiles, readConfig, type DatabaseConfig } from '../server/src/config/env';
import { openPglite } from '../server/src/db/client';
import { describeFailure } from '../server/src/db/errors';

const HELP = `Usage: npm run db:export [-- --out <folder>] [-- --pg-dump <path>]

With DATABASE_URL set: runs pg_dump and writes backups/<timestamp>.sql (plain SQL, without owners
or grants, so it restores into another provider with: psql "$OTHER_URL" -f backups/<file>.sql).
pg_dump must be at least the server's major version; the script checks before dumping.

Without DATABASE_URL: writes backups/<timestamp>.pglite.tar.gz, the embedded database's data folder
(PGLITE_DIR, default ./.data/pglite). Stop opsroom first. Restore it by unpacking into an empty folder
and pointing PGLITE_DIR at it.

PostgreSQL and the embedded database only: back up a MySQL/MariaDB database with mysqldump.

  --out <folder>     where the backup goes (default backups)
  --pg-dump <path>   the pg_dump to run (default pg_dump on PATH)
  --help             show this text`;

/** 2025-11-21T22-34-05Z: sorts by time and is a valid file name everywhere. */
export function timestamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function pgDumpMajor(pgDump: string, serverMajor: number): Promise<number> {
  const fix = `install postgresql-client-${serverMajor} (apt-get install postgresql-client-${serverMajor}, brew install postgresql@${serverMajor}) or pass --pg-dump <path>`;
  let version: string;
  try {
    version = (await run(pgDump, ['--version'])).stdout;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new ConfigError(`${pgDump} was not found: ${fix}.`);
    throw err;
  }
  const major = Number(/\(PostgreSQL\)\s+(\d+)/.exec(version)?.[1]);
  if (!major) throw new ConfigError(`${pgDump} --version printed "${version.trim()}", not a pg_dump version: ${fix}.`);
  if (major < serverMajor) {
    throw new ConfigError(`pg_dump ${major} cannot dump a PostgreSQL ${serverMajor} server: ${fix}.`);
  }
  return major;
}

async function exportPostgres(cfg: Extract<DatabaseConfig, { url: string }>, outDir: string, pgDump: string): Promise<string> {
  const client = new pg.Client({ connectionString: cfg.url, ssl: cfg.ssl, connectionTimeoutMillis: cfg.pool.connectionTimeoutMillis, application_name: 'opsroom-export' });
  await client.connect();
  let serverMajor: number;
  try {
    const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    serverMajor = Math.floor(Number(rows[0]!.v) / 10000);
  } finally {
    await client.end();
  }
  const dumpMajor = await pgDumpMajor(pgDump, serverMajor);

  // The password goes through the environment, not argv, where any user of the machine could read it.
  const url = new URL(cfg.url);
  const env: NodeJS.ProcessEnv = { ...process.env, PGPASSWORD: decodeURIComponent(url.password), PGAPPNAME: 'opsroom-export' };
  url.password = '';
  if (cfg.ssl && !url.searchParams.has('sslmode')) env.PGSSLMODE = 'require';

  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${timestamp()}.sql`);
  const result = await run(pgDump, ['--dbname', url.toString(), '--file', file, '--format', 'plain', '--no-owner', '--no-privileges'], env);
  if (result.code !== 0) {
    rmSync(file, { force: true });
    const reason = result.stderr.trim().split('\n')[0]?.replace(/^pg_dump:\s*(error:\s*)?/, '') || `exit code ${result.code}`;
    throw new ConfigError(`pg_dump ${dumpMajor} failed: ${reason}`);
  }
  return file;
}

async function exportPglite(dir: string, outDir: string): Promise<string> {
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    throw new ConfigError(`PGLITE_DIR: no embedded database in ${dir}. Run npm start or npm run db:migrate first, or set DATABASE_URL to export a PostgreSQL server.`);
  }
  const client = await openPglite(dir);
  try {
    const tarball = await client.dumpDataDir('gzip');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${timestamp()}.pglite.tar.gz`);
    writeFileSync(file, Buffer.from(await tarball.arrayBuffer()));
    return file;
  } finally {
    await client.close();
  }
}

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string', default: 'backups' }, 'pg-dump': { type: 'string', default: 'pg_dump' }, help: { type: 'boolean' } },
  });
  if (values.help) return console.log(HELP);

  loadEnvFiles();
  // Before readConfig, whose MySQL answer (adopt mode) is no fix for a backup, and before any
  // connection: pg_dump against a MySQL server fails with nothing a user could act on.
  if (isMysqlDatabaseUrl()) {
    throw new ConfigError('DATABASE_URL is a MySQL/MariaDB database, and db:export backs up PostgreSQL or the embedded database only: back it up with mysqldump --single-transaction --routines --triggers <database> > backup.sql (it holds the opsroom_* tables too).');
  }
  const { database } = readConfig();
  const outDir = path.resolve(values.out);
  const file = database.driver === 'pglite' ? await exportPglite(database.dir, outDir) : await exportPostgres(database, outDir, values['pg-dump']);
  const mb = (statSync(file).size / 1_048_576).toFixed(1);
  const shown = path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file);
  console.log(`db:export: wrote ${shown} (${mb} MB)`);
  if (database.driver === 'pglite') console.log(`restore: mkdir -p <dir> && tar -xzf ${shown} -C <dir>, then start with PGLITE_DIR=<dir>`);
}

main(process.argv.slice(2)).catch((err) => {
  const line = describeFailure(err);
  console.error(`db:export: ${line ?? (err as Error).message}`);
  if (!line) console.error((err as Error).stack);
  process.exit(1);
});
