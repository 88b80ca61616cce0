import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate as drizzleMigrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGLITE_EXTENSIONS } from '../../server/src/db/client';
import { ADVISORY_LOCK_KEY, MIGRATIONS_FOLDER, runMigrations } from '../../server/src/db/migrate';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const projectTags = (JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
  entries: { tag: string; when: number }[];
}).entries;

const scratch = mkdtempSync(path.join(tmpdir(), 'opsroom-migrations-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A drizzle-style migrations folder (SQL files + meta/_journal.json) holding the given migrations. */
function migrationsFolder(migrations: { tag: string; sql: string }[]): string {
  const dir = mkdtempSync(path.join(scratch, 'set-'));
  mkdirSync(path.join(dir, 'meta'));
  const entries = migrations.map((m, idx) => {
    writeFileSync(path.join(dir, `${m.tag}.sql`), m.sql);
    return { idx, version: '7', when: 1_700_000_000_000 + idx * 1000, tag: m.tag, breakpoints: true };
  });
  writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
  return dir;
}

const TWO_TABLES = [
  { tag: '0000_widgets', sql: 'CREATE TABLE widgets (id integer PRIMARY KEY, name text);' },
  {
    tag: '0001_gadgets',
    sql: [
      'CREATE TABLE gadgets (id integer PRIMARY KEY);',
      // Fails after the statement above ran: the whole migration must roll back with it.
      'INSERT INTO gadgets (id) VALUES (1), (1);',
    ].join('--> statement-breakpoint\n'),
  },
];

const CONCURRENT_INDEX = [
  { tag: '0000_widgets', sql: 'CREATE TABLE widgets (id integer PRIMARY KEY, name text);' },
  {
    tag: '0001_widgets_name_idx',
    sql: '-- opsroom:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS widgets_name_idx ON widgets (name);',
  },
];
const CONCURRENT_INDEX_WITHOUT_MARKER = [
  CONCURRENT_INDEX[0],
  { tag: '0001_widgets_name_idx', sql: 'CREATE INDEX CONCURRENTLY widgets_name_idx ON widgets (name);' },
];

describe('migration runner on PGlite', () => {
  let db: PGlite;
  const fresh = async () => {
    await db.close();
    db = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
  };
  beforeAll(async () => {
    db = await PGlite.create({ extensions: PGLITE_EXTENSIONS });
  });
  afterAll(() => db.close());

  it("applies the project's migrations once, logging each with its duration", async () => {
    const lines: string[] = [];
    const applied = await runMigrations({ kind: 'pglite', client: db }, { log: (l) => lines.push(l) });
    expect(applied).toEqual(projectTags.map((e) => e.tag));
    expect(lines).toEqual(applied.map((tag) => expect.stringMatching(new RegExp(`^applied ${tag} \\(\\d+ ms(, outside a transaction)?\\)$`))));
    expect(await runMigrations({ kind: 'pglite', client: db })).toEqual([]);
  });

  it('rolls back a failing migration whole and reports its tag and the database error', async () => {
    await fresh();
    const folder = migrationsFolder(TWO_TABLES);
    const failure = await runMigrations({ kind: 'pglite', client: db }, { migrationsFolder: folder }).catch((e) => e);
    expect(failure).toMatchObject({ name: 'MigrationError', migration: '0001_gadgets' });
    expect(failure.message).toMatch(/duplicate key value violates unique constraint "gadgets_pkey" \(SQLSTATE 23505\)/);
    const tables = await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.rows.map((r) => r.name)).toEqual(['widgets']);
    const rows = await db.query('SELECT hash FROM drizzle.__drizzle_migrations');
    expect(rows.rows).toHaveLength(1);
  });

  it('runs a migration marked no-transaction outside a transaction', async () => {
    await fresh();
    const lines: string[] = [];
    await runMigrations({ kind: 'pglite', client: db }, { migrationsFolder: migrationsFolder(CONCURRENT_INDEX), log: (l) => lines.push(l) });
    expect(lines[1]).toMatch(/^applied 0001_widgets_name_idx \(\d+ ms, outside a transaction\)$/);
    const index = await db.query("SELECT 1 FROM pg_indexes WHERE indexname = 'widgets_name_idx'");
    expect(index.rows).toHaveLength(1);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('migration runner on Postgres', () => {
  const admin = () => new pg.Client({ connectionString: TEST_DATABASE_URL, database: 'postgres' });
  const created: string[] = [];

  /** A throwaway database per test, so runs never see each other's tables or advisory locks. */
  async function freshDatabase(): Promise<string> {
    const name = `opsroom_mig_${randomBytes(6).toString('hex')}`;
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    created.push(name);
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    return url.toString();
  }

  afterAll(async () => {
    const client = admin();
    await client.connect();
    for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });

  async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  function runCli(url: string): Promise<{ code: number | null; out: string }> & { output: () => string } {
    let out = '';
    const done = new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/db-migrate.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, ENVIRONMENT: 'test' },
      });
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
    return Object.assign(done, { output: () => out });
  }

  async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setImmediate(r));
    }
  }

  const ADD_SIZE = [{ tag: '0000_size', sql: 'ALTER TABLE widgets ADD COLUMN size integer;' }];
  const FAST_LIMITS = { lockTimeoutMs: 100, retryDelayMs: 50 };

  it('an ALTER blocked by a long reader gives up at lock_timeout, lets other queries through, and succeeds once the reader ends', async () => {
    const url = await freshDatabase();
    await withClient(url, async (reader) => {
      await reader.query('CREATE TABLE widgets (id integer PRIMARY KEY)');
      await reader.query('BEGIN');
      await reader.query('SELECT * FROM widgets');
      const lines: string[] = [];
      const run = runMigrations({ kind: 'pg', url }, { migrationsFolder: migrationsFolder(ADD_SIZE), log: (l) => lines.push(l), limits: { ...FAST_LIMITS, lockAttempts: 1000 } });
      await until(async () => lines.some((l) => l.includes('retrying')), 'the migration to time out on its lock once');
      // Between attempts nothing is queued behind an exclusive lock: a new reader gets through at once.
      await withClient(url, (other) => other.query("SET statement_timeout = '2s'; SELECT * FROM widgets"));
      await reader.query('COMMIT');
      expect(await run).toEqual(['0000_size']);
      expect(lines[0]).toMatch(/^0000_size waited 100 ms for a lock \(attempt 1 of 1000\); retrying in 50 ms$/);
    });
    const columns = await withClient(url, (c) => c.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'widgets' ORDER BY 1"));
    expect(columns.rows.map((r) => r.column_name)).toEqual(['id', 'size']);
  });

  it('a lock that never frees fails the migration after its attempts, naming the lock timeout, with nothing applied', async () => {
    const url = await freshDatabase();
    await withClient(url, async (reader) => {
      await reader.query('CREATE TABLE widgets (id integer PRIMARY KEY)');
      await reader.query('BEGIN');
      await reader.query('SELECT * FROM widgets');
      const failure = await runMigrations({ kind: 'pg', url }, { migrationsFolder: migrationsFolder(ADD_SIZE), limits: { ...FAST_LIMITS, lockAttempts: 3 } }).catch((e) => e);
      expect(failure).toMatchObject({ name: 'MigrationError', migration: '0000_size' });
      expect(failure.message).toMatch(/lock timeout \(SQLSTATE 55P03\)/);
      await reader.query('ROLLBACK');
    });
    const columns = await withClient(url, (c) => c.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'widgets'"));
    expect(columns.rows.map((r) => r.column_name)).toEqual(['id']);
  });

  it('a statement that runs past statement_timeout fails the migration instead of holding its locks for ever', async () => {
    const url = await freshDatabase();
    const slow = [{ tag: '0000_slow', sql: 'CREATE TABLE t (id integer);\n--> statement-breakpoint\nSELECT pg_sleep(5);' }];
    const failure = await runMigrations({ kind: 'pg', url }, { migrationsFolder: migrationsFolder(slow), limits: { statementTimeoutMs: 200 } }).catch((e) => e);
    expect(failure.message).toMatch(/statement timeout \(SQLSTATE 57014\)/);
    const tables = await withClient(url, (c) => c.query("SELECT 1 FROM pg_tables WHERE tablename = 't'"));
    expect(tables.rows).toEqual([]);
  });

  it('two concurrent runs apply each migration exactly once and both exit 0', async () => {
    const url = await freshDatabase();
    await withClient(url, async (holder) => {
      // Hold the runners' lock so both are started and queued on it before either can apply anything.
      await holder.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
      const runs = [runCli(url), runCli(url)];
      await until(async () => runs.every((r) => r.output().includes('another migration run holds the lock')), 'both runners wait on the migration lock');
      await holder.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
      const results = await Promise.all(runs);

      expect(results.map((r) => r.code)).toEqual([0, 0]);
      const appliedLines = results.flatMap((r) => r.out.split('\n').filter((l) => l.startsWith('applied ')));
      expect(appliedLines.map((l) => l.split(' ')[1]).sort()).toEqual(projectTags.map((e) => e.tag).sort());
      for (const line of appliedLines) expect(line).toMatch(/^applied \S+ \(\d+ ms(, outside a transaction)?\)$/);
      expect(results.some((r) => r.out.includes('nothing to apply'))).toBe(true);
      expect(results.every((r) => r.out.includes('another migration run holds the lock'))).toBe(true);
    });
    const rows = await withClient(url, (c) => c.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations'));
    expect(rows.rows[0].n).toBe(projectTags.length);
  });

  it('a failing migration exits 1, prints the database error and leaves none of that migration applied', async () => {
    const url = await freshDatabase();
    // "users" is created partway through the initial migration, after its enums and first tables.
    await withClient(url, (c) => c.query('CREATE TABLE users (id integer)'));
    const { code, out } = await runCli(url);

    const failing = projectTags.find((e) => readFileSync(path.join(MIGRATIONS_FOLDER, `${e.tag}.sql`), 'utf8').includes('CREATE TABLE "users"'))!;
    expect(code).toBe(1);
    expect(out).toContain(`db:migrate: migration ${failing.tag} failed: relation "users" already exists (SQLSTATE 42P07)`);
    await withClient(url, async (c) => {
      const applied = await c.query('SELECT created_at FROM drizzle.__drizzle_migrations');
      expect(applied.rows.map((r) => Number(r.created_at))).not.toContain(failing.when);
      const leftovers = await c.query("SELECT 1 FROM pg_type WHERE typname = 'user_role' UNION ALL SELECT 1 FROM pg_tables WHERE tablename = 'accounts'");
      expect(leftovers.rows).toEqual([]);
    });
  });

  it('writes the same bookkeeping rows as drizzle, whose own migrator then finds nothing to do', async () => {
    const url = await freshDatabase();
    const folder = migrationsFolder(CONCURRENT_INDEX.slice(0, 1).concat({ tag: '0001_more', sql: 'ALTER TABLE widgets ADD COLUMN size integer;' }));
    await runMigrations({ kind: 'pg', url }, { migrationsFolder: folder });
    await withClient(url, async (c) => {
      const rows = await c.query('SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id');
      const expected = ['0000_widgets', '0001_more'].map((tag, i) => ({
        hash: createHash('sha256').update(readFileSync(path.join(folder, `${tag}.sql`))).digest('hex'),
        created_at: String(1_700_000_000_000 + i * 1000),
      }));
      expect(rows.rows).toEqual(expected);
      await drizzleMigrate(drizzle({ client: c }), { migrationsFolder: folder });
      expect((await c.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).rows[0].n).toBe(2);
    });
  });

  it("picks up after drizzle's own migrator without re-applying", async () => {
    const url = await freshDatabase();
    const folder = migrationsFolder(TWO_TABLES.slice(0, 1));
    await withClient(url, (c) => drizzleMigrate(drizzle({ client: c }), { migrationsFolder: folder }));
    expect(await runMigrations({ kind: 'pg', url }, { migrationsFolder: folder })).toEqual([]);
  });

  it('builds an index CONCURRENTLY when the migration is marked no-transaction, and Postgres refuses it otherwise', async () => {
    const marked = await freshDatabase();
    expect(await runMigrations({ kind: 'pg', url: marked }, { migrationsFolder: migrationsFolder(CONCURRENT_INDEX) })).toEqual([
      '0000_widgets',
      '0001_widgets_name_idx',
    ]);
    const valid = await withClient(marked, (c) =>
      c.query("SELECT indisvalid FROM pg_index WHERE indexrelid = 'widgets_name_idx'::regclass"),
    );
    expect(valid.rows).toEqual([{ indisvalid: true }]);

    const unmarked = await freshDatabase();
    const failure = await runMigrations({ kind: 'pg', url: unmarked }, { migrationsFolder: migrationsFolder(CONCURRENT_INDEX_WITHOUT_MARKER) }).catch((e) => e);
    expect(failure).toMatchObject({ migration: '0001_widgets_name_idx' });
    expect(failure.message).toContain('cannot run inside a transaction block');
  });
});

if (!TEST_DATABASE_URL) {
  console.log('migrate-runner: Postgres tests skipped because TEST_DATABASE_URL is unset (e.g. postgres://postgres@127.0.0.1:5432/test)');
}
