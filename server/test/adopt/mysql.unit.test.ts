import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig, readMysqlConfig } from '../../src/config/env';
import { enumLabels } from '../../src/adopt/mysql/catalog';
import { mysqlPoolOptions } from '../../src/adopt/mysql/connect';

describe('MySQL URLs for adopt mode', () => {
  it('mysql://, mysql2:// and mariadb:// are MySQL; postgres:// is not', () => {
    for (const scheme of ['mysql', 'mysql2', 'mariadb', 'MySQL']) expect(readMysqlConfig({ DATABASE_URL: `${scheme}://u:p@db:3306/app` })?.driver).toBe('mysql');
    expect(readMysqlConfig({ DATABASE_URL: 'postgres://u:p@db/app' })).toBeUndefined();
    expect(readMysqlConfig({})).toBeUndefined();
  });

  it('TLS when the host asks for it: PlanetScale, RDS/Azure spellings, and always in production', () => {
    const tls = (url: string, env: Record<string, string> = {}) => readMysqlConfig({ DATABASE_URL: url, ...env })?.ssl;
    expect(tls('mysql://u:p@aws.connect.psdb.cloud/app?sslaccept=strict')).toEqual({ rejectUnauthorized: true });
    expect(tls('mysql://u:p@aws.connect.psdb.cloud/app?ssl={"rejectUnauthorized":true}')).toEqual({ rejectUnauthorized: true });
    expect(tls('mysql://u:p@x.rds.amazonaws.com/app?ssl-mode=VERIFY_IDENTITY')).toEqual({ rejectUnauthorized: true });
    expect(tls('mysql://u:p@x.mysql.database.azure.com/app?ssl-mode=REQUIRED')).toEqual({ rejectUnauthorized: false });
    expect(tls('mariadb://root@127.0.0.1/app')).toBeUndefined();
    expect(tls('mysql://u:p@db/app', { NODE_ENV: 'production' })).toEqual({ rejectUnauthorized: true });
    expect(tls('mysql://u:p@db/app?ssl-mode=DISABLED', { NODE_ENV: 'production' })).toBeUndefined();
  });

  it('pool size, timeouts and the URL parts reach mysql2; the TLS parameters do not', () => {
    const cfg = readMysqlConfig({ DATABASE_URL: 'mysql://app:p%40ss@db.internal:3307/shop?sslaccept=strict', DB_POOL_MAX: '4', DB_CONNECT_TIMEOUT_MS: '1500' })!;
    expect(mysqlPoolOptions(cfg)).toMatchObject({
      host: 'db.internal', port: 3307, user: 'app', password: 'p@ss', database: 'shop',
      connectionLimit: 4, connectTimeout: 1500, ssl: { rejectUnauthorized: true }, supportBigNumbers: true, bigNumberStrings: true,
    });
    expect(JSON.stringify(mysqlPoolOptions(cfg))).not.toContain('sslaccept');
  });

  it('a MySQL URL naming no database, or one outside adopt mode, is one line', () => {
    expect(() => readMysqlConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306' })).toThrow(/names no database: expected mysql:\/\/user:password@host:3306\/database/);
    expect(() => readConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/app' })).toThrow(ConfigError);
    expect(() => readConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/app' })).toThrow(/works only in adopt mode/);
    expect(() => readConfig({ DATABASE_READ_URL: 'mysql://r@db/app', DATABASE_URL: 'postgres://u@db/app' })).toThrow(/DATABASE_READ_URL must start with postgres:\/\//);
  });
});

describe('ENUM and SET members from information_schema.columns.column_type', () => {
  it('reads quotes, commas, backslashes and 4-byte characters inside members', () => {
    expect(enumLabels(`enum('signup','it''s "quoted"','a,b','back\\\\slash','🎉')`)).toEqual(['signup', `it's "quoted"`, 'a,b', 'back\\slash', '🎉']);
    expect(enumLabels(`set('beta','staff')`)).toEqual(['beta', 'staff']);
    expect(enumLabels('varchar(20)')).toEqual([]);
  });
});
