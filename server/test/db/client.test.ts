import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/env';
import { connectDatabase, type Database } from '../../src/db/client';

// Building a pool opens no connection, so these tests need no server: they check which driver and
// which pool settings each URL form ends up with.
async function connect(env: NodeJS.ProcessEnv): Promise<Database> {
  return connectDatabase(readConfig(env).database);
}

type PoolOptions = pg.PoolConfig & { connectionString: string };
const poolOf = (db: Database['db']) => (db as unknown as { $client: { options: PoolOptions } }).$client.options;

describe('connectDatabase', () => {
  it('a neon.tech URL gets the Neon driver, prepared statements on', async () => {
    const database = await connect({ DATABASE_URL: 'postgres://app:pw@ep-cool-lake-123456.eu-central-1.aws.neon.tech/neondb?sslmode=require' });
    try {
      expect(database.driver).toBe('neon');
      expect(database.canPrepare).toBe(true);
      expect(database.pglite).toBeUndefined();
    } finally {
      await database.close();
    }
  });

  it('a Neon pooler behind DB_POOLER=1 gets the Neon driver without prepared statements', async () => {
    const database = await connect({ DATABASE_URL: 'postgres://app:pw@ep-x-pooler.aws.neon.tech/neondb', DB_POOLER: '1' });
    try {
      expect(database.driver).toBe('neon');
      expect(database.canPrepare).toBe(false);
    } finally {
      await database.close();
    }
  });

  it('a plain postgres:// URL gets one node-postgres pool with the configured size and timeouts', async () => {
    const database = await connect({ DATABASE_URL: 'postgres://app:pw@db.internal:5432/app', DB_POOL_MAX: '4', DB_CONNECT_TIMEOUT_MS: '1200', DB_IDLE_TIMEOUT_MS: '9000' });
    try {
      expect(database.driver).toBe('pg');
      expect(database.canPrepare).toBe(true);
      expect(database.readDb).toBe(database.db);
      expect(poolOf(database.db)).toMatchObject({ max: 4, connectionTimeoutMillis: 1200, idleTimeoutMillis: 9000, connectionString: 'postgres://app:pw@db.internal:5432/app' });
    } finally {
      await database.close();
    }
  });

  it('port 6543 (Supabase transaction pooler) turns prepared statements off', async () => {
    const database = await connect({ DATABASE_URL: 'postgres://postgres.ref:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres' });
    try {
      expect(database.driver).toBe('pg');
      expect(database.canPrepare).toBe(false);
    } finally {
      await database.close();
    }
  });

  it('in production the pool verifies the server certificate unless sslmode says otherwise', async () => {
    const secrets = { NODE_ENV: 'production', OPSROOM_ENCRYPTION_KEY: 'k', SESSION_SECRET: 's' };
    const verified = await connect({ ...secrets, DATABASE_URL: 'postgres://app:pw@prod.rds.amazonaws.com:5432/app' });
    const relaxed = await connect({ ...secrets, DATABASE_URL: 'postgres://app:pw@prod.rds.amazonaws.com:5432/app?sslmode=no-verify' });
    try {
      // What a client of each pool would negotiate: pg reads sslmode from the URL when ssl is unset.
      expect(new pg.Client(poolOf(verified.db)).ssl).toEqual({ rejectUnauthorized: true });
      expect(new pg.Client(poolOf(relaxed.db)).ssl).toEqual({ rejectUnauthorized: false });
    } finally {
      await Promise.all([verified.close(), relaxed.close()]);
    }
  });

  it('DATABASE_READ_URL gives list and report queries a pool of their own', async () => {
    const database = await connect({ DATABASE_URL: 'postgres://app:pw@primary:5432/app', DATABASE_READ_URL: 'postgres://app:pw@replica:5432/app' });
    try {
      expect(database.readDb).not.toBe(database.db);
      expect(poolOf(database.db).connectionString).toContain('@primary:');
      expect(poolOf(database.readDb).connectionString).toContain('@replica:');
    } finally {
      await database.close();
    }
  });
});
