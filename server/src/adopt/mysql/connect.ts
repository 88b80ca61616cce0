import type { MySql2Database } from 'drizzle-orm/mysql2';
import type mysql from 'mysql2/promise';
import type { MysqlConfig } from '../../config/env';

export interface MysqlDatabase {
  db: MySql2Database;
  pool: mysql.Pool;
  /** The database the URL names: it plays the part of Postgres' `public` schema in opsroom.adopt.json. */
  database: string;
  close(): Promise<void>;
}

/**
 * mysql2's pool options from the URL. The URL is taken apart here rather than handed to mysql2 as
 * `uri`: mysql2 reads every query parameter as a pool option (and JSON-parses `ssl`), so the TLS
 * spellings hosts print (`sslaccept=strict`, `ssl-mode=REQUIRED`) would fail or be ignored there.
 */
export function mysqlPoolOptions(cfg: MysqlConfig): mysql.PoolOptions & { database: string } {
  const url = new URL(cfg.url);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    ssl: cfg.ssl,
    connectionLimit: cfg.pool.max,
    connectTimeout: cfg.pool.connectionTimeoutMillis,
    idleTimeout: cfg.pool.idleTimeoutMillis || undefined,
    // BIGINT and DECIMAL values beyond 2^53 arrive as strings instead of silently rounded numbers.
    supportBigNumbers: true,
    bigNumberStrings: true,
    // utf8mb4 on the connection, so 4-byte characters are not mangled on their way to utf8mb4 columns.
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
  };
}

/**
 * A pool and a Drizzle client over one MySQL 8 / MariaDB 10.11+ database. mysql2 is imported here,
 * not at the top: a PostgreSQL or embedded start never loads it (~0.1 s of CPU).
 */
export async function connectMysql(cfg: MysqlConfig): Promise<MysqlDatabase> {
  const options = mysqlPoolOptions(cfg);
  const [{ default: mysql }, { drizzle }] = await Promise.all([import('mysql2/promise'), import('drizzle-orm/mysql2')]);
  const pool = mysql.createPool(options);
  return { db: drizzle({ client: pool }), pool, database: options.database, close: () => pool.end() };
}
