import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import pg from 'pg';

export type MigrationTarget =
  | { kind: 'pglite'; client: PGlite }
  | { kind: 'pg'; url: string; ssl?: pg.ClientConfig['ssl'] };

export const MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

// Any constant works as long as every runner agrees on it; this one spells "opsroom" in hex-ish.
const ADVISORY_LOCK_KEY = 0x0905_0200;
// First line of a migration that must run outside a transaction (CREATE INDEX CONCURRENTLY).
export const NO_TRANSACTION_MARKER = '-- opsroom:no-transaction';

/** The minimum a migration needs from a connection, so PGlite and pg share one runner. */
interface MigrationSession {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

function pgSession(client: pg.Client): MigrationSession {
  return {
    exec: async (sql) => void (await client.query(sql)),
    query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
  };
}

function pgliteSession(client: PGlite): MigrationSession {
  return {
    exec: async (sql) => void (await client.exec(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await client.query<T>(sql, params)).rows,
  };
}

async function applyPending(
  session: MigrationSession,
  migrations: MigrationMeta[],
  tags: string[],
  log: (line: string) => void,
): Promise<string[]> {
  // Same bookkeeping table and columns as drizzle-orm's own migrator, so drizzle-kit agrees with us.
  await session.exec('CREATE SCHEMA IF NOT EXISTS drizzle');
  await session.exec(
    'CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)',
  );
  const [last] = await session.query<{ created_at: string | number }>(
    'SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1',
  );
  const lastMillis = last ? Number(last.created_at) : -1;
  const applied: string[] = [];
  for (const [i, migration] of migrations.entries()) {
    if (migration.folderMillis <= lastMillis) continue;
    const tag = tags[i] ?? String(migration.folderMillis);
    const started = performance.now();
    const record = `INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('${migration.hash}', ${migration.folderMillis})`;
    const transactional = !migration.sql[0]?.trimStart().startsWith(NO_TRANSACTION_MARKER);
    if (transactional) {
      await session.exec('BEGIN');
      try {
        for (const stmt of migration.sql) await session.exec(stmt);
        await session.exec(record);
        await session.exec('COMMIT');
      } catch (err) {
        await session.exec('ROLLBACK');
        throw Object.assign(err as Error, { migration: tag });
      }
    } else {
      try {
        for (const stmt of migration.sql) await session.exec(stmt);
      } catch (err) {
        throw Object.assign(err as Error, { migration: tag });
      }
      await session.exec(record);
    }
    const ms = Math.round(performance.now() - started);
    log(`applied ${tag} (${ms} ms${transactional ? '' : ', outside a transaction'})`);
    applied.push(tag);
  }
  return applied;
}

function journalTags(folder: string): Promise<string[]> {
  return import(path.join(folder, 'meta/_journal.json'), { with: { type: 'json' } }).then(
    (m: { default: { entries: { tag: string }[] } }) => m.default.entries.map((e) => e.tag),
  );
}

/**
 * Applies pending migrations, each in its own transaction, and returns the tags it applied.
 * On Postgres a session-level advisory lock on one dedicated connection serialises concurrent
 * runners (parallel deploys, replicas starting together): the second waits, then finds nothing to do.
 */
export async function runMigrations(
  target: MigrationTarget,
  opts: { migrationsFolder?: string; log?: (line: string) => void } = {},
): Promise<string[]> {
  const folder = opts.migrationsFolder ?? MIGRATIONS_FOLDER;
  const log = opts.log ?? (() => {});
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  const tags = await journalTags(folder);

  if (target.kind === 'pglite') return applyPending(pgliteSession(target.client), migrations, tags, log);

  const client = new pg.Client({ connectionString: target.url, ssl: target.ssl, application_name: 'opsroom-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    try {
      return await applyPending(pgSession(client), migrations, tags, log);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
