import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { expect, it } from 'vitest';
import { PGLITE_EXTENSIONS } from '../../server/src/db/client';
import { describeEachCliEngine, runCli } from '../../server/test/support/cli';

describeEachCliEngine(
  'npm run db:export',
  (db, engine) => {
    const exportDb = (...args: string[]) => db().run('scripts/db-export.ts', args);
    const backups = () => readdirSync(path.join(db().cwd, 'backups'));

    if (engine === 'pglite') {
      it('writes backups/<timestamp>.pglite.tar.gz, a data folder that restores by unpacking', async () => {
        const result = await exportDb();
        expect(result.code, result.stderr).toBe(0);
        const [file] = backups();
        expect(file).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.pglite\.tar\.gz$/);
        expect(result.stdout).toContain(`wrote backups/${file}`);

        const restored = path.join(db().cwd, 'restored');
        mkdirSync(restored);
        execFileSync('tar', ['-xzf', path.join(db().cwd, 'backups', file!), '-C', restored]);
        const copy = await PGlite.create(restored, { extensions: PGLITE_EXTENSIONS });
        try {
          const { rows } = await copy.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
          expect(rows[0]!.n).toBeGreaterThan(0);
        } finally {
          await copy.close();
        }
      });

      it('with no embedded database yet, says how to create one', async () => {
        const result = await runCli('scripts/db-export.ts', [], { cwd: db().cwd, env: { PGLITE_DIR: path.join(db().cwd, 'nothing-here') } });
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^db:export: PGLITE_DIR: no embedded database in .*nothing-here\. Run npm start or npm run db:migrate first, or set DATABASE_URL to export a PostgreSQL server\.\n$/);
      });
    } else {
      it('writes backups/<timestamp>.sql with pg_dump, without owners or grants', async () => {
        const result = await exportDb();
        expect(result.code, result.stderr).toBe(0);
        const [file] = backups();
        expect(file).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.sql$/);
        const sql = readFileSync(path.join(db().cwd, 'backups', file!), 'utf8');
        expect(sql).toContain('CREATE TABLE public.credit_transactions');
        expect(sql).not.toMatch(/OWNER TO|^GRANT /m);
      });

      it('refuses a pg_dump older than the server, naming the client package to install', async () => {
        const fake = path.join(db().cwd, 'old-pg_dump');
        writeFileSync(fake, '#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n');
        chmodSync(fake, 0o755);
        const result = await exportDb('--pg-dump', fake, '--out', 'old');
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^db:export: pg_dump 9 cannot dump a PostgreSQL (\d+) server: install postgresql-client-\1 .* or pass --pg-dump <path>\.\n$/);
        expect(existsSync(path.join(db().cwd, 'old'))).toBe(false);
      });

      it('says so in one line when pg_dump is not installed', async () => {
        const result = await exportDb('--pg-dump', path.join(db().cwd, 'no-such-pg_dump'));
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^db:export: .*no-such-pg_dump was not found: install postgresql-client-\d+ .*\n$/);
      });
    }
  },
  { migrate: true },
);
