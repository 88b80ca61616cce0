import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintMigrations } from '../lint/migrationRules';
import { pendingMigrations } from '../lint/pendingMigrations';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures/migrations');
const RUNNING_SCHEMA = readFileSync(path.join(import.meta.dirname, 'fixtures/schema/running.ts.txt'), 'utf8');

function runCli(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/db-lint.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, DB_LINT_BASE: 'refs/heads/no-such-branch', ...env },
  });
  return { code: result.status, out: result.stdout + result.stderr };
}

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
