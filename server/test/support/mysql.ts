import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { opsroomDatabaseName } from '../../src/adopt/mysql/migrate';

/**
 * The MySQL/MariaDB server MySQL tests run against (`TEST_MYSQL_URL`, set by .ci/run), or
 * undefined: then those suites are skipped with the reason in their name.
 */
export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL?.trim() || undefined;
export const MYSQL_SKIP_REASON = TEST_MYSQL_URL ? '' : ' (skipped: set TEST_MYSQL_URL=mysql://root@127.0.0.1:3306/test to run)';

export interface MysqlTestDatabase {
  name: string;
  /** TEST_MYSQL_URL with this database in its path. */
  url: string;
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A throwaway database on TEST_MYSQL_URL's server, loaded with a fixture script; drop() removes it. */
export async function mysqlTestDatabase(fixture?: string): Promise<MysqlTestDatabase> {
  if (!TEST_MYSQL_URL) throw new Error('TEST_MYSQL_URL is not set');
  const name = `opsroom_my_${randomBytes(5).toString('hex')}`;
  const base = new URL(TEST_MYSQL_URL);
  const admin = await mysql.createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password), multipleStatements: true, charset: 'utf8mb4_unicode_ci' });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  if (fixture) {
    await admin.changeUser({ database: name });
    await admin.query(readFileSync(fixture, 'utf8'));
    // Row estimates (information_schema.tables.table_rows) as a running server would have them.
    const [tables] = (await admin.query(`select table_name as t from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE'`, [name])) as unknown as [{ t: string }[]];
    for (const { t } of tables) await admin.query(`ANALYZE TABLE \`${t}\``);
  }
  const url = new URL(TEST_MYSQL_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    query: async <T>(text: string, values?: unknown[]) => {
      await admin.changeUser({ database: name });
      return ((await admin.query(text, values)) as unknown as [T[]])[0];
    },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      // opsroom's own database next to it, when a served test created one.
      await admin.query(`DROP DATABASE IF EXISTS \`${opsroomDatabaseName(name)}\``);
      await admin.end();
    },
  };
}

/** `mysqldump --no-data` of one database: its tables, views, keys and triggers as DDL, without dates. */
export async function mysqlSchemaDump(db: MysqlTestDatabase): Promise<string> {
  const url = new URL(db.url);
  const args = ['--no-data', '--skip-dump-date', '--skip-comments', '--routines', '--triggers', `--host=${url.hostname}`, `--port=${url.port || 3306}`, `--user=${decodeURIComponent(url.username)}`];
  if (url.password) args.push(`--password=${decodeURIComponent(url.password)}`);
  const { stdout } = await promisify(execFile)('mysqldump', [...args, db.name], { maxBuffer: 64 * 1024 * 1024 });
  // AUTO_INCREMENT counters move with inserts by anyone; they are data, not schema.
  return stdout.replace(/ AUTO_INCREMENT=\d+/g, '');
}
