import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { PGLITE_EXTENSIONS } from '../../server/src/db/client';
import { describeEachCliEngine, ROOT, runCli } from '../../server/test/support/cli';

/** One SQL statement against the block's database, from outside the CLI under test. */
async function query<T>(env: Record<string, string>, text: string): Promise<T[]> {
  if (env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      const result = await client.query(text);
      return (Array.isArray(result) ? result.at(-1).rows : result.rows) as T[];
    } finally {
      await client.end();
    }
  }
  const client = await PGlite.create(env.PGLITE_DIR!, { extensions: PGLITE_EXTENSIONS });
  try {
    // exec runs several statements; the last one's rows are the answer, as with pg's simple query.
    const results = await client.exec(text);
    return (results.at(-1)?.rows ?? []) as T[];
  } finally {
    await client.close();
  }
}

// Each CLI run (and each check from outside) opens the database anew: PGlite's cold start is
// seconds per open, and these tests chain four to six of them on a shared two-core machine.
const SLOW = 240_000;

describe('the :staging and :prod script variants', () => {
  it('every database script has both, and each runs its base command with ENVIRONMENT set', () => {
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const base of ['db:migrate', 'db:push', 'db:studio', 'db:seed', 'db:export', 'db:restore', 'db:introspect', 'db:archive']) {
      expect(scripts[`${base}:staging`], base).toBe(`tsx scripts/with-environment.ts staging ${scripts[base]}`);
      expect(scripts[`${base}:prod`], base).toBe(`tsx scripts/with-environment.ts production ${scripts[base]}`);
    }
  });
});

describeEachCliEngine(
  'database scripts',
  (db, engine) => {
    it('with-environment staging loads .env.staging.local: db:migrate goes to the staging database', async () => {
      const stagingDir = path.join(db().cwd, 'staging-pglite');
      writeFileSync(path.join(db().cwd, '.env.staging.local'), `PGLITE_DIR=${stagingDir}\n`);
      const result = await runCli('scripts/with-environment.ts', ['staging', path.join(ROOT, 'node_modules/.bin/tsx'), path.join(ROOT, 'scripts/db-migrate.ts')], { cwd: db().cwd });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/migration\(s\) applied/);
      expect(readdirSync(stagingDir)).toContain('PG_VERSION');
    }, SLOW);

    it('db:archive moves old rows to the archive tables and balances still equal ledger + archive', async () => {
      const env = db().env;
      await query(env, `insert into users (id, email) overriding system value values (9001, 'old@example.com'), (9002, 'new@example.com');
        insert into credits (user_id, left_credits, total_credits) values (9001, 130, 150), (9002, 5, 5);
        insert into credit_transactions (user_id, type, amount, created_at) values
        (9001, 'new_user', 100, now() - interval '400 days'), (9001, 'order_pay', 50, now() - interval '200 days'),
        (9001, 'ai_generation', -20, now() - interval '2 days'), (9002, 'new_user', 5, now());
        insert into generations (gen_id, user_id, ai_type, provider, model, prompt, status, created_at) values
        ('old-done', 9001, 'image', 'openai', 'm', 'p', 'completed', now() - interval '400 days'),
        ('old-stuck', 9001, 'image', 'openai', 'm', 'p', 'processing', now() - interval '400 days'),
        ('recent', 9001, 'image', 'openai', 'm', 'p', 'completed', now())`);

      const dry = await db().run('scripts/db-archive.ts', ['--older-than-days', '180', '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/^db:archive: would move 1 generations and 2 ledger rows created before /);
      const moved = await db().run('scripts/db-archive.ts', ['--older-than-days', '180']);
      expect(moved.stdout).toMatch(/^db:archive: moved 1 generations and 2 ledger rows/);
      expect((await db().run('scripts/db-archive.ts', ['--older-than-days', '180'])).stdout).toMatch(/moved 0 generations and 0 ledger rows/);

      const [state] = await query<{ archived: string; live: string; live_ledger: number }>(
        env,
        `select (select string_agg(gen_id, ',') from generations_archive) as archived, (select string_agg(gen_id, ',' order by gen_id) from generations) as live,
                (select count(*)::int from credit_transactions where user_id = 9001) as live_ledger`,
      );
      expect(state).toEqual({ archived: 'old-done', live: 'old-stuck,recent', live_ledger: 1 });
      const mismatches = await query(env, `select c.user_id from credits c
        where c.left_credits <> coalesce((select sum(amount) from credit_transactions t where t.user_id = c.user_id), 0)
                               + coalesce((select sum(amount) from credit_transactions_archive a where a.user_id = c.user_id), 0)`);
      expect(mismatches).toEqual([]);

      const bad = await db().run('scripts/db-archive.ts', ['--older-than-days', '0']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe('db:archive: --older-than-days must be a whole number of days, at least 1.\n');
    }, SLOW);

    it('db:introspect writes a drizzle-kit pull of the database into a scratch folder', async () => {
      const result = await db().run('scripts/db-introspect.ts', ['--out', 'scratch']);
      expect(result.code, result.stderr).toBe(0);
      const schema = readFileSync(path.join(db().cwd, 'scratch/schema.ts'), 'utf8');
      expect(schema).toMatch(/pgTable\("credit_transactions_archive"/);
      expect(schema).toMatch(/pgTable\("project_videos"/);
      const again = await db().run('scripts/db-introspect.ts', ['--out', 'scratch']);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/scratch is not empty: pass --out with a new folder\.\n$/);
    }, SLOW);

    it("db:restore loads db:export's backup, refusing a non-empty target unless --force", async () => {
      const env = db().env;
      await query(env, `insert into waitlist (email) values ('kept@example.com')`);
      const exported = await db().run('scripts/db-export.ts');
      expect(exported.code, exported.stderr).toBe(0);
      const [file] = readdirSync(path.join(db().cwd, 'backups'));
      await query(env, `delete from waitlist where email = 'kept@example.com'`);

      const refused = await db().run('scripts/db-restore.ts', [`backups/${file}`]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(engine === 'pglite' ? /^db:restore: PGLITE_DIR .* already holds a database: restore into a new folder, or pass --force to replace it\.\n$/ : /^db:restore: DATABASE_URL already holds \d+ tables: restore into an empty database, or pass --force/);

      const restored = await db().run('scripts/db-restore.ts', [`backups/${file}`, '--force']);
      expect(restored.code, restored.stderr).toBe(0);
      expect(await query(env, `select email from waitlist where email = 'kept@example.com'`)).toEqual([{ email: 'kept@example.com' }]);
      const migrate = await db().run('scripts/db-migrate.ts');
      expect(migrate.stdout).toContain('nothing to apply');
    }, SLOW);
  },
  { migrate: true },
);
