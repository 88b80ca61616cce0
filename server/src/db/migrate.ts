import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { readMigrationFiles, type MigrationMeta } from 'drizzle-orm/migrator';
import type pg from 'pg';
import { databaseUrlVariable } from '../config/env';
import { REPO_ROOT } from '../repoRoot';
import { assertSupportedPostgres } from './serverVersion';

export type MigrationTarget =
  | { kind: 'pglite'; client: PGlite }
  | { kind: 'pg'; url: string; ssl?: pg.ClientConfig['ssl'] };

export const MIGRATIONS_FOLDER = path.join(REPO_ROOT, 'drizzle');

// Any constant works as long as every runner agrees on it; this one spells "opsroom" in hex-ish.
export const ADVISORY_LOCK_KEY = 0x0905_0200;
/**
 * First line of a migration that must run outside a transaction (CREATE INDEX CONCURRENTLY). Each
 * `--> statement-breakpoint` step then runs on its own, and a failure leaves earlier steps applied,
 * so such a migration holds only CONCURRENTLY statements written to be re-run (see drizzle/README.md, "The migration runner").
 */
export const NO_TRANSACTION_MARKER = '-- opsroom:no-transaction';

/** The minimum a migration needs from a connection, so PGlite and pg share one runner. */
interface MigrationSession {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A migration that failed; the message carries the database's own words, its SQLSTATE and detail. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    cause: unknown,
  ) {
    super(describeDatabaseError(cause), { cause });
    this.name = 'MigrationError';
  }
}

function describeDatabaseError(err: unknown): string {
  const e = err as { message?: string; code?: string; detail?: string; hint?: string };
  const parts = [e?.message ?? String(err)];
  if (e?.code) parts[0] += ` (SQLSTATE ${e.code})`;
  if (e?.detail) parts.push(`detail: ${e.detail}`);
  if (e?.hint) parts.push(`hint: ${e.hint}`);
  return parts.join('; ');
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

/**
 * Limits each migration runs under. A DDL statement waiting for its lock queues every later query
 * on that table behind it, so it gives up after `lockTimeoutMs` and the runner tries the whole
 * migration again a little later, instead of stalling the app behind one long reader.
 */
export interface MigrationLimits {
  /** `lock_timeout` per statement. Default: 5 s (MIGRATION_LOCK_TIMEOUT_MS). */
  lockTimeoutMs: number;
  /** `statement_timeout` per statement of a transactional migration. Default: 15 min (MIGRATION_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs: number;
  /** Attempts of a migration that hit the lock timeout. Default: 10. */
  lockAttempts: number;
  /** Wait before the first retry; doubles each time, at most 30 s. Default: 1 s. */
  retryDelayMs: number;
}

export const DEFAULT_LIMITS: MigrationLimits = { lockTimeoutMs: 5_000, statementTimeoutMs: 15 * 60_000, lockAttempts: 10, retryDelayMs: 1_000 };

/** lock_not_available: the lock_timeout fired. */
const LOCK_TIMEOUT = '55P03';

async function applyOne(session: MigrationSession, migration: MigrationMeta, transactional: boolean, limits: MigrationLimits, journal: string): Promise<void> {
  // Same bookkeeping row drizzle-orm's migrator writes: sha256 of the file, the journal's `when`.
  const record = () =>
    session.exec(
      `INSERT INTO ${journal} (hash, created_at) VALUES ('${migration.hash}', ${migration.folderMillis})`,
    );
  if (!transactional) {
    // CONCURRENTLY builds may rightly run for a long time; only the lock wait is bounded.
    await session.exec(`SET lock_timeout = ${limits.lockTimeoutMs}; SET statement_timeout = 0`);
    try {
      for (const stmt of migration.sql) await session.exec(stmt);
    } finally {
      await session.exec('RESET lock_timeout; RESET statement_timeout').catch(() => {});
    }
    await record();
    return;
  }
  await session.exec('BEGIN');
  try {
    await session.exec(`SET LOCAL lock_timeout = ${limits.lockTimeoutMs}; SET LOCAL statement_timeout = ${limits.statementTimeoutMs}`);
    for (const stmt of migration.sql) await session.exec(stmt);
    await record();
    await session.exec('COMMIT');
  } catch (err) {
    // If the connection itself died, the server rolls back anyway; the original error is the one to report.
    await session.exec('ROLLBACK').catch(() => {});
    throw err;
  }
}

/**
 * An applied migration whose file changed since: the database was built from other SQL than the
 * repository now holds, so every later migration would run on a schema nobody can reproduce.
 */
// Not a ConfigError subclass: config/env imports this module, so that class is not defined yet here.
export class ChangedMigrationError extends Error {
  constructor(readonly migration: string) {
    super(`migration ${migration} was edited after it was applied (its SHA-256 differs from the one the database recorded). Never edit an applied migration: restore the file from git and put the change in a new migration.`);
    this.name = 'ChangedMigrationError';
  }
}

async function assertAppliedUnchanged(session: MigrationSession, migrations: MigrationMeta[], tags: string[], journal: string): Promise<void> {
  const applied = await session.query<{ hash: string; created_at: string | number }>(`SELECT hash, created_at FROM ${journal}`);
  const recorded = new Map(applied.map((r) => [Number(r.created_at), r.hash]));
  for (const [i, migration] of migrations.entries()) {
    const hash = recorded.get(migration.folderMillis);
    if (hash !== undefined && hash !== migration.hash) throw new ChangedMigrationError(tags[i] ?? String(migration.folderMillis));
  }
}

async function applyPending(
  session: MigrationSession,
  migrations: MigrationMeta[],
  tags: string[],
  log: (line: string) => void,
  limits: MigrationLimits,
  journal: string,
): Promise<string[]> {
  // Same bookkeeping table and columns as drizzle-orm's own migrator, so drizzle-kit agrees with us.
  await session.exec(`CREATE SCHEMA IF NOT EXISTS ${journal.split('.')[0]}`);
  await session.exec(
    `CREATE TABLE IF NOT EXISTS ${journal} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
  );
  const [last] = await session.query<{ created_at: string | number }>(
    `SELECT created_at FROM ${journal} ORDER BY created_at DESC LIMIT 1`,
  );
  const lastMillis = last ? Number(last.created_at) : -1;
  await assertAppliedUnchanged(session, migrations, tags, journal);
  const applied: string[] = [];
  for (const [i, migration] of migrations.entries()) {
    if (migration.folderMillis <= lastMillis) continue;
    const tag = tags[i] ?? String(migration.folderMillis);
    const transactional = !migration.sql[0]?.trimStart().startsWith(NO_TRANSACTION_MARKER);
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await applyOne(session, migration, transactional, limits, journal);
        break;
      } catch (err) {
        // A transactional migration rolled back whole, so running it again is safe; a
        // no-transaction one may have half-applied and is left to its author's re-runnable SQL.
        const retry = transactional && (err as { code?: string }).code === LOCK_TIMEOUT && attempt < limits.lockAttempts;
        if (!retry) throw new MigrationError(tag, err);
        const delay = Math.min(limits.retryDelayMs * 2 ** (attempt - 1), 30_000);
        log(`${tag} waited ${limits.lockTimeoutMs} ms for a lock (attempt ${attempt} of ${limits.lockAttempts}); retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
    const ms = Math.round(performance.now() - started);
    log(`applied ${tag} (${ms} ms${transactional ? '' : ', outside a transaction'})`);
    applied.push(tag);
  }
  return applied;
}

function journalTags(folder: string): string[] {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  return journal.entries.map((e) => e.tag);
}

/**
 * Applies pending migrations, each in its own transaction, and returns the tags it applied.
 * On Postgres a session-level advisory lock on one dedicated connection serialises concurrent
 * runners (parallel deploys, replicas starting together): the second waits, then finds nothing to do.
 * That needs a real session: point it at a direct URL, not a transaction pooler (PgBouncer, Neon's -pooler host).
 */
const LOCK_POLL_MS = 250;

export async function runMigrations(
  target: MigrationTarget,
  opts: { migrationsFolder?: string; log?: (line: string) => void; limits?: Partial<MigrationLimits>; journal?: string } = {},
): Promise<string[]> {
  const folder = opts.migrationsFolder ?? MIGRATIONS_FOLDER;
  const log = opts.log ?? (() => {});
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  // `schema.table` of the bookkeeping table: a second migration set (the opsroom schema's) keeps its own.
  const journal = opts.journal ?? 'drizzle.__drizzle_migrations';
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  const tags = journalTags(folder);

  if (target.kind === 'pglite') return applyPending(pgliteSession(target.client), migrations, tags, log, limits, journal);

  // node-postgres on use: an embedded start never needs it.
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client({ connectionString: target.url, ssl: target.ssl, application_name: 'opsroom-migrate' });
  await client.connect();
  try {
    await assertSupportedPostgres(async (sql) => (await client.query(sql)).rows, databaseUrlVariable() ?? 'DATABASE_URL');
    // Poll instead of blocking in pg_advisory_lock: a session blocked in a statement holds a
    // snapshot, and CREATE INDEX CONCURRENTLY in the lock holder's run waits for every older
    // snapshot to go away, so the two would deadlock. Between tries this session holds nothing.
    let waiting = false;
    for (;;) {
      const [{ locked }] = (await client.query('SELECT pg_try_advisory_lock($1) AS locked', [ADVISORY_LOCK_KEY])).rows;
      if (locked) break;
      if (!waiting) log('another migration run holds the lock; waiting for it to finish');
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    // Ending the session below releases the lock, also when a migration failed.
    return await applyPending(pgSession(client), migrations, tags, log, limits, journal);
  } finally {
    await client.end().catch(() => {});
  }
}
