import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../../server/test/support/cli';

// Nothing listens to these or needs to: both scripts must refuse before they connect anywhere.
const MYSQL = 'mysql://root:secret@127.0.0.1:3306/app';
const MARIADB = 'mariadb://root@127.0.0.1:3306/app';

describe('db:export and db:restore on a MySQL/MariaDB DATABASE_URL', () => {
  const cwd = tempDir('opsroom-backup-mysql-');
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  // Adopt mode is how a MySQL URL gets past the configuration at all, so each is tried with and without it.
  const adopt = { OPSROOM_ADOPT: path.join(cwd, 'opsroom.adopt.json') };

  it.each([
    ['mysql://', { DATABASE_URL: MYSQL }],
    ['mariadb:// in adopt mode', { DATABASE_URL: MARIADB, ...adopt }],
  ])('db:export refuses %s up front in one line naming mysqldump (exit 1, nothing written)', async (_name, env) => {
    const result = await runCli('scripts/db-export.ts', [], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^db:export: DATABASE_URL is a MySQL\/MariaDB database, and db:export backs up PostgreSQL or the embedded database only: back it up with mysqldump [^\n]*\n$/);
    expect(existsSync(path.join(cwd, 'backups'))).toBe(false);
  });

  it.each([
    ['mysql:// in adopt mode', { DATABASE_URL: MYSQL, ...adopt }],
    ['mariadb://', { DATABASE_URL: MARIADB }],
  ])('db:restore refuses %s up front in one line naming the mysql client (exit 1)', async (_name, env) => {
    const dump = path.join(cwd, 'dump.sql');
    writeFileSync(dump, 'CREATE TABLE t (id int);\n');
    const result = await runCli('scripts/db-restore.ts', [dump, '--force'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^db:restore: DATABASE_URL is a MySQL\/MariaDB database, and db:restore loads PostgreSQL or embedded backups only: restore a mysqldump file with mysql <database> < backup\.sql\.\n$/);
  });
});
