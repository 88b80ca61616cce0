import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateOpsroomMysql, opsroomDatabaseName } from '../../src/adopt/mysql/migrate';
import { readMysqlConfig } from '../../src/config/env';
import { MYSQL_SKIP_REASON, mysqlTestDatabase, TEST_MYSQL_URL, type MysqlTestDatabase } from '../support/mysql';

const OPSROOM_TABLES = ['opsroom_audit_log', 'opsroom_idempotency_keys', 'opsroom_login_attempts', 'opsroom_migrations', 'opsroom_operator_sessions', 'opsroom_operators'];

describe.skipIf(!TEST_MYSQL_URL)(`where opsroom's own tables go on MySQL/MariaDB${MYSQL_SKIP_REASON}`, () => {
  let db: MysqlTestDatabase;
  const user = `opsroom_my_u${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const tablesIn = async (schema: string) =>
    (await db.query<{ t: string }>('select table_name as t from information_schema.tables where table_schema = ?', [schema])).map((r) => r.t).sort();

  beforeAll(async () => {
    db = await mysqlTestDatabase();
    await db.query(`create table app_things (id int auto_increment primary key, name varchar(50))`);
    // An account that may use the app's database and nothing else, as on a managed host.
    await db.query(`create user '${user}'@'%' identified by '${password}'`);
    await db.query(`grant all privileges on \`${db.name}\`.* to '${user}'@'%'`);
  }, 60_000);
  afterAll(async () => {
    await db?.query(`drop user if exists '${user}'@'%'`);
    await db?.drop();
  });

  it('an account that may not create a database gets opsroom_* tables beside the app\'s, and concurrent starts migrate once under GET_LOCK', async () => {
    const url = new URL(db.url);
    url.username = user;
    url.password = password;
    const cfg = readMysqlConfig({ DATABASE_URL: url.toString() })!;
    const runs = await Promise.all([migrateOpsroomMysql(cfg), migrateOpsroomMysql(cfg), migrateOpsroomMysql(cfg)]);
    expect(runs.map((r) => r.database)).toEqual([undefined, undefined, undefined]);
    // One migration in the folder: exactly one of the three applied it, the others found it done.
    expect(runs.map((r) => r.applied).sort()).toEqual([0, 0, 1]);
    expect(await tablesIn(db.name)).toEqual(['app_things', ...OPSROOM_TABLES].sort());
    expect(await tablesIn(opsroomDatabaseName(db.name))).toEqual([]);
    expect((await migrateOpsroomMysql(cfg)).applied).toBe(0);
  }, 60_000);
});
