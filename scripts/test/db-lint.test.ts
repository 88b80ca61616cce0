import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintMigrations, RULES, type MigrationFile } from '../lint/migrationRules';
import { pendingMigrations } from '../lint/pendingMigrations';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures/migrations');
// Every fix names a concrete alternative, not just "be careful".
const FIX_TEXT = expect.stringMatching(/^[a-z].{40,}/i);
const RUNNING_SCHEMA = readFileSync(path.join(import.meta.dirname, 'fixtures/schema/running.ts.txt'), 'utf8');

function fixture(dir: string, name: string): MigrationFile {
  return { path: `${dir}/${name}`, sql: readFileSync(path.join(FIXTURES, dir, name), 'utf8') };
}

function runCli(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/db-lint.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, DB_LINT_BASE: 'refs/heads/no-such-branch', ...env },
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

describe('migration lint rules', () => {
  const unsafe = readdirSync(path.join(FIXTURES, 'unsafe')).sort();

  it('has an unsafe fixture for every rule but the marker check', () => {
    const covered = unsafe.map((f) => f.replace(/\.sql$/, ''));
    expect(covered.sort()).toEqual(Object.keys(RULES).filter((r) => r !== 'accept-marker-invalid').sort());
  });

  it.each(unsafe)('flags %s at the offending line with a safe alternative', (name) => {
    const file = fixture('unsafe', name);
    const offendingLine = file.sql.trimEnd().split('\n').length;
    const findings = lintMigrations([file], { runningSchema: RUNNING_SCHEMA });
    const rule = name.replace(/\.sql$/, '');
    expect(findings).toContainEqual(
      expect.objectContaining({ file: `unsafe/${name}`, line: offendingLine, rule, fix: FIX_TEXT }),
    );
  });

  it('passes the safe alternatives, statements on tables created earlier in the batch, and CONCURRENTLY outside a transaction', () => {
    const files = readdirSync(path.join(FIXTURES, 'safe')).map((f) => fixture('safe', f));
    expect(lintMigrations(files, { runningSchema: RUNNING_SCHEMA })).toEqual([]);
  });

  it('flags every form of the statements that lock or rewrite a live table, and passes their safe forms', () => {
    const rules = (sql: string) => lintMigrations([{ path: 'm.sql', sql }]).map((f) => f.rule);
    expect(rules('DELETE FROM "sessions";')).toEqual(['unbatched-update-delete']);
    expect(rules('UPDATE users u SET tier = 1;')).toEqual(['unbatched-update-delete']);
    expect(rules('UPDATE users SET tier = 1 WHERE id BETWEEN 1 AND 5000;')).toEqual([]);
    expect(rules('REINDEX TABLE orders;')).toEqual(['locking-maintenance']);
    expect(rules('REINDEX INDEX CONCURRENTLY orders_pkey;')).toEqual(['concurrently-in-transaction']);
    expect(rules('CLUSTER orders USING orders_pkey;')).toEqual(['locking-maintenance']);
    expect(rules('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;')).toEqual(['locking-maintenance']);
    expect(rules('VACUUM (FULL, ANALYZE) orders;')).toEqual(['locking-maintenance']);
    expect(rules('TRUNCATE TABLE orders, users CASCADE;')).toEqual(['truncate']);
    expect(rules('-- opsroom:no-transaction\nDROP INDEX CONCURRENTLY IF EXISTS orders_created_at_idx;')).toEqual([]);
    expect(rules('DO $$ BEGIN ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users(id) NOT VALID; END $$;')).toEqual([]);
    // A table or index made earlier in the same batch holds no rows and has no readers yet.
    expect(rules('CREATE TABLE t (id int);\nCREATE INDEX t_idx ON t (id);\nDROP INDEX t_idx;\nTRUNCATE t;\nDELETE FROM t;')).toEqual([]);
  });

  it("passes the project's own migrations", () => {
    const dir = path.join(ROOT, 'drizzle');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => ({ path: f, sql: readFileSync(path.join(dir, f), 'utf8') }));
    expect(files.length).toBeGreaterThan(0);
    expect(lintMigrations(files)).toEqual([]);
  });

  it('treats a table created in an earlier file of the batch as new', () => {
    const create = { path: '0001.sql', sql: 'CREATE TABLE "tags" ("id" integer, "name" text);' };
    const index = { path: '0002.sql', sql: 'CREATE INDEX "tags_name_idx" ON "tags" ("name");' };
    expect(lintMigrations([create, index])).toEqual([]);
    expect(lintMigrations([index])).toMatchObject([{ rule: 'create-index-non-concurrent', file: '0002.sql' }]);
  });

  it('allows dropping a column or table once the running release no longer declares it', () => {
    const drops = [
      { path: 'a.sql', sql: 'ALTER TABLE "users" DROP COLUMN "legacy_plan";' },
      { path: 'b.sql', sql: 'DROP TABLE IF EXISTS "old_sessions";' },
    ];
    expect(lintMigrations(drops, { runningSchema: RUNNING_SCHEMA })).toEqual([]);
  });

  it('counts a column declared by a shared helper as read by every table', () => {
    const drop = { path: 'a.sql', sql: 'ALTER TABLE "orders" DROP COLUMN "created_at";' };
    expect(lintMigrations([drop], { runningSchema: RUNNING_SCHEMA })).toMatchObject([{ rule: 'drop-column' }]);
  });

  it("flags every drop when the running release's schema is unknown", () => {
    const drop = { path: 'a.sql', sql: 'ALTER TABLE "users" DROP COLUMN "legacy_plan";' };
    const [finding] = lintMigrations([drop]);
    expect(finding).toMatchObject({ rule: 'drop-column', line: 1 });
    expect(finding.message).toContain('could not be read');
  });

  it('reports the line of the statement, not of the comments above it', () => {
    const sql = 'ALTER TABLE "users" ADD COLUMN "a" text;\n-- why\n\nALTER TABLE "users"\n  ALTER COLUMN "a" TYPE varchar(10);';
    expect(lintMigrations([{ path: 'x.sql', sql }])).toMatchObject([{ rule: 'alter-column-type', line: 4 }]);
  });

  it('checks each action of a multi-action ALTER TABLE', () => {
    const sql = 'ALTER TABLE users ADD COLUMN a text NOT NULL, ADD CONSTRAINT c CHECK (length(b) > 0);';
    const rules = lintMigrations([{ path: 'x.sql', sql }]).map((f) => f.rule);
    expect(rules).toEqual(['add-column-not-null-without-default', 'check-without-not-valid']);
  });

  it('accepts a finding only for the named rule and only with a reason', () => {
    const otherRule = '-- opsroom:lint-accept drop-column not this one\nCREATE INDEX "i" ON "users" ("a");';
    expect(lintMigrations([{ path: 'x.sql', sql: otherRule }]).map((f) => f.rule)).toEqual(['create-index-non-concurrent']);

    const noReason = '-- opsroom:lint-accept create-index-non-concurrent\nCREATE INDEX "i" ON "users" ("a");';
    expect(lintMigrations([{ path: 'x.sql', sql: noReason }]).map((f) => f.rule).sort()).toEqual([
      'accept-marker-invalid',
      'create-index-non-concurrent',
    ]);

    const typo = '-- opsroom:lint-accept create-index-nonconcurrent small table\nCREATE INDEX "i" ON "users" ("a");';
    const findings = lintMigrations([{ path: 'x.sql', sql: typo }]);
    expect(findings.map((f) => f.rule).sort()).toEqual(['accept-marker-invalid', 'create-index-non-concurrent']);
  });
});

describe('npm run db:lint', () => {
  it('exits 1 naming the file, line, rule and the safe alternative', () => {
    const { code, out } = runCli([path.join(FIXTURES, 'unsafe/create-index-non-concurrent.sql')]);
    expect(code).toBe(1);
    expect(out).toMatch(/create-index-non-concurrent\.sql:2 {2}create-index-non-concurrent {2}/);
    expect(out).toContain('safe alternative: CREATE INDEX CONCURRENTLY');
    expect(out).toContain('-- opsroom:lint-accept <rule-id> <reason>');
  });

  it('exits 0 on the safe fixtures', () => {
    const safe = readdirSync(path.join(FIXTURES, 'safe')).map((f) => path.join(FIXTURES, 'safe', f));
    const { code, out } = runCli(safe);
    expect(out).toContain('0 finding(s)');
    expect(code).toBe(0);
  });

  it('lints every migration when the base ref is missing', () => {
    const { code, out } = runCli([]);
    expect(out).toMatch(/refs\/heads\/no-such-branch is not available here, so all \d+ migrations were linted; 0 finding/);
    expect(code).toBe(0);
  });

  it("adds squawk's findings (a real Postgres parser) for what opsroom's rules do not cover, once per statement", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'opsroom-squawk-'));
    try {
      const file = path.join(dir, '0009_cleanup.sql');
      writeFileSync(file, 'DROP INDEX "orders_created_at_idx";\n--> statement-breakpoint\nDROP DATABASE "legacy";\n');
      const { code, out } = runCli([file]);
      expect(code).toBe(1);
      expect(out).toMatch(/0009_cleanup\.sql:3 {2}squawk:ban-drop-database {2}/);
      // The DROP INDEX is opsroom's finding; squawk's require-concurrent-index-deletion is not repeated.
      expect(out).toMatch(/0009_cleanup\.sql:1 {2}drop-index-non-concurrent/);
      expect(out).not.toContain('squawk:require-concurrent-index-deletion');
      expect(out).toContain('2 finding(s)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown flag with one line pointing at --help', () => {
    const { code, out } = runCli(['--frobnicate']);
    expect(code).toBe(2);
    expect(out.trim().split('\n')).toHaveLength(1);
    expect(out).toContain('--help');
  });
});

describe('migrations not yet on the base branch', () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'opsroom-lint-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    writeFileSync(path.join(repo, file), text);
  };

  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'lint@test');
  git('config', 'user.name', 'lint test');
  write('drizzle/0000_init.sql', 'CREATE TABLE "users" ("id" integer, "nickname" text);');
  write('server/src/db/schema/auth.ts', RUNNING_SCHEMA);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'feature');
  write('drizzle/0001_nick_index.sql', 'CREATE INDEX "users_nickname_idx" ON "users" ("nickname");');
  write('drizzle/0002_drop_nick.sql', 'ALTER TABLE "users" DROP COLUMN "nickname";');

  it('lints only files missing from the base ref and reads the running schema from it', () => {
    const pending = pendingMigrations({ cwd: repo, base: 'main' });
    expect(pending.files.map((f) => f.path)).toEqual(['drizzle/0001_nick_index.sql', 'drizzle/0002_drop_nick.sql']);
    expect(pending.runningSchema).toContain("pgTable('users'");
    const rules = lintMigrations(pending.files, { runningSchema: pending.runningSchema }).map((f) => `${f.file} ${f.rule}`);
    expect(rules).toEqual(['drizzle/0001_nick_index.sql create-index-non-concurrent', 'drizzle/0002_drop_nick.sql drop-column']);
  });

  it('takes the base ref from --base over DB_LINT_BASE', () => {
    const { code, out } = runCli(['--base', 'main'], repo);
    expect(out).toContain('2 migration(s) not yet on main; 2 finding(s)');
    expect(code).toBe(1);
  });
});
