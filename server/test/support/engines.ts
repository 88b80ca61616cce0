import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config/env';

/**
 * The database engines every database test runs on: always the embedded PGlite, and a real
 * PostgreSQL server too when TEST_DATABASE_URL is set (CI sets it).
 */
export interface Engine {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database for one test file; drop() removes it. */
  create(): Promise<{ config: DatabaseConfig; url?: string; drop(): Promise<void> }>;
}

const pglite: Engine = {
  name: 'pglite',
  async create() {
    return { config: { driver: 'pglite', dir: 'memory://' }, drop: async () => {} };
  },
};

export function postgresEngine(baseUrl: string): Engine {
  return {
    name: 'postgres',
    async create() {
      const name = `opsroom_t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        config: {
          driver: 'pg',
          url: url.toString(),
          pooler: false,
          pool: { max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10000 },
        },
        drop: async () => {
          const c = new pg.Client({ connectionString: baseUrl });
          await c.connect();
          try {
            await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          } finally {
            await c.end();
          }
        },
      };
    },
  };
}

export const engines: Engine[] = process.env.TEST_DATABASE_URL
  ? [pglite, postgresEngine(process.env.TEST_DATABASE_URL)]
  : [pglite];

if (!process.env.TEST_DATABASE_URL && !process.env.OPSROOM_QUIET_ENGINES) {
  process.env.OPSROOM_QUIET_ENGINES = '1';
  console.info('TEST_DATABASE_URL is not set: database tests run on PGlite only (CI runs them on PostgreSQL too).');
}
