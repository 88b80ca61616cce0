import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type mysql from 'mysql2/promise';
import type { MysqlConfig } from '../../config/env';
import { mysqlPoolOptions } from './connect';

export const OPSROOM_MYSQL_MIGRATIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../drizzle-opsroom-mysql');
/** The journal sits beside opsroom's other tables, under the same prefix. */
export const OPSROOM_MYSQL_JOURNAL = 'opsroom_migrations';
/** How long a second process waits for the first one's migrations before giving up (seconds). */
const LOCK_WAIT_S = 60;

/** Where opsroom's tables live: `database` when it has its own, undefined when they share the app's. */
export interface OpsroomPlace {
  database?: string;
}

/** `<app>_opsroom`, or the app's own name cut so the result fits MySQL's 64-character limit. */
export const opsroomDatabaseName = (app: string) => `${app.slice(0, 64 - '_opsroom'.length)}_opsroom`;

const ACCESS_DENIED = new Set(['ER_DBACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR']);

/**
 * A database of its own when the account may create one (or one exists already), else the app's
 * database: the account then only creates `opsroom_*` tables there, never touching the app's.
 */
async function place(conn: mysql.Connection, app: string): Promise<OpsroomPlace> {
  const own = opsroomDatabaseName(app);
  const [seen] = (await conn.query('select schema_name from information_schema.schemata where schema_name = ?', [own])) as unknown as [unknown[]];
  if (seen.length) return { database: own };
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${own}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return { database: own };
  } catch (err) {
    if (ACCESS_DENIED.has((err as { code?: string }).code ?? '')) return {};
    throw err;
  }
}

/**
 * Creates or updates opsroom's tables: the only DDL opsroom runs on an adopted MySQL server. Two
 * processes starting at once take turns under GET_LOCK (MySQL's advisory lock, held by the
 * connection and dropped with it if the process dies).
 */
export async function migrateOpsroomMysql(cfg: MysqlConfig, log?: (line: string) => void): Promise<OpsroomPlace & { applied: number }> {
  const options = mysqlPoolOptions(cfg);
  // Imported on use, like connectMysql: only an adopted MySQL database needs them.
  const [{ default: mysql }, { drizzle }, { migrate }] = await Promise.all([import('mysql2/promise'), import('drizzle-orm/mysql2'), import('drizzle-orm/mysql2/migrator')]);
  const conn = await mysql.createConnection({ ...options, connectionLimit: undefined, idleTimeout: undefined } as mysql.ConnectionOptions);
  try {
    const lockName = `opsroom_migrate:${options.database}`;
    const [[got]] = (await conn.query('select get_lock(?, ?) as got', [lockName, LOCK_WAIT_S])) as unknown as [[{ got: number | null }]];
    if (Number(got?.got) !== 1) throw new Error(`opsroom migrations: another process held the migration lock for ${LOCK_WAIT_S} s; try again.`);
    try {
      const where = await place(conn, options.database);
      const target = mysql.createPool({ ...options, database: where.database ?? options.database, connectionLimit: 1 });
      try {
        const db = drizzle({ client: target });
        const journal = OPSROOM_MYSQL_JOURNAL;
        const [before] = (await target.query(`select count(*) as n from information_schema.tables where table_schema = database() and table_name = ?`, [journal])) as unknown as [[{ n: number }]];
        const done = Number(before[0]?.n) ? Number(((await target.query(`select count(*) as n from \`${journal}\``)) as unknown as [[{ n: number }]])[0][0].n) : 0;
        await migrate(db, { migrationsFolder: OPSROOM_MYSQL_MIGRATIONS_FOLDER, migrationsTable: journal });
        const [[after]] = (await target.query(`select count(*) as n from \`${journal}\``)) as unknown as [[{ n: number }]];
        const applied = Number(after.n) - done;
        if (applied) log?.(`${applied} migration(s) applied in ${where.database ?? `${options.database} (opsroom_ tables)`}`);
        return { ...where, applied };
      } finally {
        await target.end();
      }
    } finally {
      await conn.query('select release_lock(?)', [lockName]);
    }
  } finally {
    await conn.end();
  }
}
