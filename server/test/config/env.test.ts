import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, environmentName, loadEnvFiles, readConfig, type DatabaseConfig } from '../../src/config/env';

const PROD_SECRETS = { OPSROOM_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), SESSION_SECRET: 'a-long-random-string' };

function server(env: NodeJS.ProcessEnv): Extract<DatabaseConfig, { driver: 'pg' | 'neon' }> {
  const { database } = readConfig(env);
  if (database.driver === 'pglite' || database.driver === 'mysql') throw new Error('expected a PostgreSQL server driver');
  return database;
}

describe('choosing the database driver', () => {
  it('without DATABASE_URL, runs the embedded PGlite in ./.data/pglite', () => {
    expect(readConfig({}).database).toEqual({ driver: 'pglite', dir: path.resolve('.data/pglite') });
  });

  it('PGLITE_DIR moves the embedded data folder', () => {
    expect(readConfig({ PGLITE_DIR: '/srv/opsroom' }).database).toEqual({ driver: 'pglite', dir: '/srv/opsroom' });
  });

  it('a blank DATABASE_URL counts as unset', () => {
    expect(readConfig({ DATABASE_URL: '  ' }).database.driver).toBe('pglite');
  });

  it('a neon.tech host uses the Neon serverless driver', () => {
    const db = server({ DATABASE_URL: 'postgres://app:pw@ep-cool-lake-123456.eu-central-1.aws.neon.tech/neondb?sslmode=require' });
    expect(db.driver).toBe('neon');
    expect(db.pooler).toBe(false);
  });

  it('a Neon pooled host (-pooler) is still the Neon driver, and counts as a transaction pooler', () => {
    const db = server({ DATABASE_URL: 'postgresql://app:pw@ep-x-pooler.us-east-2.aws.neon.tech/neondb' });
    expect(db.driver).toBe('neon');
    expect(db.pooler).toBe(true);
  });

  it('any other postgres:// URL uses a node-postgres pool with default size and timeouts', () => {
    const db = server({ DATABASE_URL: 'postgres://app:pw@db.internal:5432/app' });
    expect(db.driver).toBe('pg');
    expect(db.pool).toEqual({ max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 });
    expect(db.readUrl).toBeUndefined();
  });

  it('DB_POOL_MAX, DB_CONNECT_TIMEOUT_MS and DB_IDLE_TIMEOUT_MS size the pool', () => {
    const db = server({ DATABASE_URL: 'postgres://db/app', DB_POOL_MAX: '3', DB_CONNECT_TIMEOUT_MS: '1500', DB_IDLE_TIMEOUT_MS: '0' });
    expect(db.pool).toEqual({ max: 3, connectionTimeoutMillis: 1500, idleTimeoutMillis: 0 });
  });

  it('port 6543 (Supabase transaction pooler) turns prepared statements off', () => {
    expect(server({ DATABASE_URL: 'postgres://postgres.abc:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres' }).pooler).toBe(true);
  });

  it('DB_POOLER=1 or true turns prepared statements off on any port', () => {
    expect(server({ DATABASE_URL: 'postgres://pgbouncer:6432/app', DB_POOLER: '1' }).pooler).toBe(true);
    expect(server({ DATABASE_URL: 'postgres://pgbouncer:6432/app', DB_POOLER: 'true' }).pooler).toBe(true);
    expect(server({ DATABASE_URL: 'postgres://pgbouncer:6432/app' }).pooler).toBe(false);
  });

  it('DATABASE_READ_URL is kept for list and report queries', () => {
    const db = server({ DATABASE_URL: 'postgres://primary/app', DATABASE_READ_URL: 'postgres://replica/app' });
    expect(db.url).toBe('postgres://primary/app');
    expect(db.readUrl).toBe('postgres://replica/app');
  });
});

describe('TLS', () => {
  it('in production, verifies the server certificate when the URL has no sslmode', () => {
    const db = server({ NODE_ENV: 'production', DATABASE_URL: 'postgres://app:pw@prod.rds.amazonaws.com:5432/app', ...PROD_SECRETS });
    expect(db.ssl).toEqual({ rejectUnauthorized: true });
  });

  it('in production, an sslmode in the URL decides instead', () => {
    for (const mode of ['disable', 'no-verify', 'require', 'verify-full']) {
      const db = server({ NODE_ENV: 'production', DATABASE_URL: `postgres://app:pw@db:5432/app?sslmode=${mode}`, ...PROD_SECRETS });
      expect(db.ssl, mode).toBeUndefined();
    }
  });

  it('outside production, leaves TLS to the URL', () => {
    expect(server({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).ssl).toBeUndefined();
  });
});

describe('configuration mistakes stop with a one-line fix', () => {
  const cases: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['a DATABASE_URL that is not a URL', { DATABASE_URL: 'localhost:5432/app' }, /^DATABASE_URL must start with postgres:\/\//],
    ['a DATABASE_URL with no scheme at all', { DATABASE_URL: 'not a url' }, /^DATABASE_URL is not a valid URL: expected postgres:\/\/user:password@host:5432\/database\.$/],
    ['a mysql:// DATABASE_URL', { DATABASE_URL: 'mysql://root@db/app' }, /^a mysql:\/\/ \(or mysql2:\/\/, mariadb:\/\/\) DATABASE_URL works only in adopt mode: run npm run adopt/],
    ['a malformed DATABASE_READ_URL', { DATABASE_URL: 'postgres://db/app', DATABASE_READ_URL: 'replica' }, /^DATABASE_READ_URL is not a valid URL/],
    ['a pool size of zero', { DATABASE_URL: 'postgres://db/app', DB_POOL_MAX: '0' }, /^DB_POOL_MAX must be a whole number >= 1 \(got "0"\)\.$/],
    ['a timeout that is not a number', { DATABASE_URL: 'postgres://db/app', DB_CONNECT_TIMEOUT_MS: '5s' }, /^DB_CONNECT_TIMEOUT_MS must be a whole number/],
    ['a port out of range', { PORT: '70000' }, /^PORT must be between 0 and 65535/],
    ['production without DATABASE_URL', { NODE_ENV: 'production' }, /^DATABASE_URL is required when NODE_ENV=production: set it to postgres:\/\//],
    ['production without an encryption key', { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/app', SESSION_SECRET: 's' }, /^OPSROOM_ENCRYPTION_KEY is required in production/],
    ['production without a session secret', { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/app', OPSROOM_ENCRYPTION_KEY: 'k' }, /^SESSION_SECRET is required in production/],
  ];
  for (const [what, env, message] of cases) {
    it(`${what} is a ConfigError naming the variable`, () => {
      let error: unknown;
      try {
        readConfig(env);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    });
  }

  it('a mysql:// DATABASE_URL with OPSROOM_ADOPT is a MySQL database to serve', () => {
    expect(readConfig({ DATABASE_URL: 'mariadb://root@db/app', OPSROOM_ADOPT: 'x.json' }).database).toMatchObject({ driver: 'mysql', url: 'mariadb://root@db/app' });
  });

  it('production on the embedded database is allowed when PGLITE_DIR asks for it by name', () => {
    expect(readConfig({ NODE_ENV: 'production', PGLITE_DIR: '/data/pglite' }).database).toEqual({ driver: 'pglite', dir: '/data/pglite' });
  });
});

describe('server settings', () => {
  it('defaults to port 3000 on every interface, and reads PORT, HOST and CORS_ORIGIN', () => {
    expect(readConfig({})).toMatchObject({ port: 3000, host: '0.0.0.0', corsOrigin: undefined, production: false });
    expect(readConfig({ PORT: '0', HOST: '127.0.0.1', CORS_ORIGIN: 'https://ops.example.com' })).toMatchObject({ port: 0, host: '127.0.0.1', corsOrigin: 'https://ops.example.com' });
  });
});

describe('environment targeting', () => {
  it('ENVIRONMENT names the target, NODE_ENV is the fallback, development the default', () => {
    expect(environmentName({ ENVIRONMENT: 'staging', NODE_ENV: 'production' })).toBe('staging');
    expect(environmentName({ NODE_ENV: 'production' })).toBe('production');
    expect(environmentName({})).toBe('development');
  });

  it('.env.{environment}.local beats .env.local beats .env, and the real environment beats them all', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'opsroom-env-'));
    writeFileSync(path.join(cwd, '.env'), 'PORT=1111\nHOST=from-env\nCORS_ORIGIN=from-env\nLOG_LEVEL=from-env\n');
    writeFileSync(path.join(cwd, '.env.local'), 'PORT=2222\nHOST=from-local\n');
    writeFileSync(path.join(cwd, '.env.staging.local'), 'PORT=3333\n');
    writeFileSync(path.join(cwd, '.env.production.local'), 'PORT=4444\nSESSION_SECRET=wrong-file\n');
    const env: NodeJS.ProcessEnv = { ENVIRONMENT: 'staging', LOG_LEVEL: 'debug' };

    expect(loadEnvFiles(cwd, env)).toEqual(['.env.staging.local', '.env.local', '.env']);
    expect(env).toMatchObject({ PORT: '3333', HOST: 'from-local', CORS_ORIGIN: 'from-env', LOG_LEVEL: 'debug' });
    expect(env.SESSION_SECRET).toBeUndefined();
  });

  it('without ENVIRONMENT, NODE_ENV picks the file', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'opsroom-env-'));
    writeFileSync(path.join(cwd, '.env.test.local'), 'PORT=5555\n');
    const env: NodeJS.ProcessEnv = { NODE_ENV: 'test' };
    expect(loadEnvFiles(cwd, env)).toEqual(['.env.test.local']);
    expect(env.PORT).toBe('5555');
  });
});

describe('migrations at boot', () => {
  it('run at boot by default, with a 5 s lock timeout and a 15 min statement timeout', () => {
    expect(readConfig({}).migrations).toEqual({ onStart: true, lockTimeoutMs: 5_000, statementTimeoutMs: 900_000 });
  });

  it('MIGRATE_ON_START=false leaves them to the one-off task; the timeouts are configurable', () => {
    const { migrations } = readConfig({ MIGRATE_ON_START: 'false', MIGRATION_LOCK_TIMEOUT_MS: '2000', MIGRATION_STATEMENT_TIMEOUT_MS: '0' });
    expect(migrations).toEqual({ onStart: false, lockTimeoutMs: 2000, statementTimeoutMs: 0 });
  });

  it('a MIGRATE_ON_START that is not a boolean stops the process with the variable named', () => {
    expect(() => readConfig({ MIGRATE_ON_START: 'sometimes' })).toThrow(new ConfigError('MIGRATE_ON_START must be true or false (got "sometimes").'));
  });
});
