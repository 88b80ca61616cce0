// Each driver (PGlite, node-postgres, Neon, mysql2) is imported when connectDatabase picks it:
// loading all four cost every start ~0.2 s of CPU for the three it does not use.
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { connectMysql, type MysqlDatabase } from '../adopt/mysql/connect';
import type { DatabaseConfig } from '../config/env';
import * as schema from './schema';

export type Schema = typeof schema;
/** The one database type the rest of the server sees, whatever the driver underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Raw SQL rows from any driver: node-postgres, PGlite and Neon all answer `{ rows }`. */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** One round trip: the readiness probe's proof that the database answers. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

export interface Database {
  /** Writes, transactions and anything that must read its own writes. */
  db: Db;
  /** Lists and reports; a replica when DATABASE_READ_URL is set, otherwise the same as `db`. */
  readDb: Db;
  driver: DatabaseConfig['driver'];
  /** Set on the embedded driver, for the migrator and tests. */
  pglite?: PGlite;
  /**
   * An adopted MySQL/MariaDB database (adopt mode only). `db` and `readDb` are then Drizzle's
   * MySQL client under the Postgres type: only adopt mode's code, which goes through its dialect
   * (server/src/adopt/dialect.ts), runs on it.
   */
  mysql?: MysqlDatabase;
  /** Named prepared statements are off behind transaction poolers (PgBouncer, Supavisor :6543). */
  canPrepare: boolean;
  close(): Promise<void>;
}

export const PGLITE_EXTENSIONS = { pg_trgm };

/**
 * PGlite zeroes Postgres' shared memory on every open, in WebAssembly: with Postgres' default
 * 128 MB of shared_buffers that was about half of the open (~0.6 s of CPU here) and ~110 MB of
 * resident memory. 32 MB still holds the whole demo database.
 */
const PGLITE_SHARED_BUFFERS = '32MB';

export async function openPglite(dir: string): Promise<PGlite> {
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create(dir, { extensions: PGLITE_EXTENSIONS, startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`] });
}

/**
 * The pool listens for errors only on idle clients. A client checked out by a transaction, whose
 * connection is killed between two of its queries (failover, pg_terminate_backend, a proxy timeout),
 * emits 'error' on itself with nobody listening, and that uncaught exception took the whole
 * server down. With a listener the transaction's next query fails (a 503), the pool drops the
 * broken client on release, and the process lives.
 */
function guardCheckedOutClients(pool: { on(event: 'connect', listener: (client: { on(event: 'error', l: (err: Error) => void): unknown }) => void): unknown }, onError: (err: Error) => void) {
  pool.on('connect', (client) => client.on('error', onError));
}

/**
 * drizzle's node-postgres `transaction()` checks a client out and sends BEGIN *before* its
 * try/finally, so when the connection has died (failover, pg_terminate_backend) BEGIN fails and the
 * client is never released. Each such failure leaked one pool slot; after `max` of them every
 * request waited out connectionTimeoutMillis and got a 503, and the server never recovered from a
 * database restart. Here a checked-out client is handed back (and destroyed) the moment its
 * connection ends, and release becomes idempotent so drizzle's own later release is harmless.
 */
function recoveringPool(Pool: typeof pg.Pool) {
  return class RecoveringPool extends Pool {
    override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: Error | boolean) => void) => void) {
      if (!callback) return super.connect().then(releaseWhenConnectionEnds);
      super.connect((err, client) => {
        if (err || !client) return callback(err, undefined, () => {});
        const guarded = releaseWhenConnectionEnds(client);
        callback(undefined, guarded, guarded.release);
      });
      return undefined as unknown as Promise<pg.PoolClient>;
    }
  };
}

function releaseWhenConnectionEnds(client: pg.PoolClient): pg.PoolClient {
  const release = client.release;
  let released = false;
  const onEnd = () => done(new Error('Connection terminated'));
  const done = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener('end', onEnd);
    release(err);
  };
  client.once('end', onEnd);
  client.release = done;
  return client;
}

function pgPool(RecoveringPool: ReturnType<typeof recoveringPool>, url: string, cfg: Extract<DatabaseConfig, { driver: 'pg' | 'neon' }>, onError: (err: Error) => void): pg.Pool {
  const pool = new RecoveringPool({
    connectionString: url,
    max: cfg.pool.max,
    connectionTimeoutMillis: cfg.pool.connectionTimeoutMillis,
    idleTimeoutMillis: cfg.pool.idleTimeoutMillis,
    ssl: cfg.ssl,
    application_name: 'opsroom',
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it kills the process.
  pool.on('error', onError);
  guardCheckedOutClients(pool, onError);
  return pool;
}

/** Turns configuration into a Drizzle client. Call once per process and close() on shutdown. */
export async function connectDatabase(
  cfg: DatabaseConfig,
  opts: { onPoolError?: (err: Error) => void } = {},
): Promise<Database> {
  const onError = opts.onPoolError ?? (() => {});
  if (cfg.driver === 'mysql') {
    const m = await connectMysql(cfg);
    m.pool.on('connection', (conn) => conn.on('error', onError));
    const db = m.db as unknown as Db;
    return { db, readDb: db, driver: 'mysql', mysql: m, canPrepare: true, close: m.close };
  }
  if (cfg.driver === 'pglite') {
    const [client, { drizzle: drizzlePglite }] = await Promise.all([openPglite(cfg.dir), import('drizzle-orm/pglite')]);
    const db = drizzlePglite({ client, schema }) as unknown as Db;
    return { db, readDb: db, driver: 'pglite', pglite: client, canPrepare: true, close: () => client.close() };
  }

  if (cfg.driver === 'neon') {
    const [{ neon, neonConfig, Pool: NeonPool }, { drizzle: drizzleNeonHttp }, { drizzle: drizzleNeonWs }, { default: ws }] = await Promise.all([
      import('@neondatabase/serverless'),
      import('drizzle-orm/neon-http'),
      import('drizzle-orm/neon-serverless'),
      import('ws'),
    ]);
    // Node 20 has no global WebSocket; the Neon pool needs one for interactive transactions.
    neonConfig.webSocketConstructor = ws;
    const pool = new NeonPool({ connectionString: cfg.url, max: cfg.pool.max });
    pool.on('error', onError);
    guardCheckedOutClients(pool as never, onError);
    const db = drizzleNeonWs({ client: pool, schema }) as unknown as Db;
    // One-shot reads go over Neon's HTTP endpoint: no connection to open, the fastest path from serverless.
    const readDb = drizzleNeonHttp({ client: neon(cfg.readUrl ?? cfg.url), schema }) as unknown as Db;
    return { db, readDb, driver: 'neon', canPrepare: !cfg.pooler, close: () => pool.end() };
  }

  const [{ default: pgModule }, { drizzle: drizzlePg }] = await Promise.all([import('pg'), import('drizzle-orm/node-postgres')]);
  const RecoveringPool = recoveringPool(pgModule.Pool);
  const pool = pgPool(RecoveringPool, cfg.url, cfg, onError);
  const readPool = cfg.readUrl ? pgPool(RecoveringPool, cfg.readUrl, cfg, onError) : undefined;
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  const readDb = readPool ? (drizzlePg({ client: readPool, schema }) as unknown as Db) : db;
  return {
    db,
    readDb,
    driver: 'pg',
    canPrepare: !cfg.pooler,
    close: async () => {
      await Promise.all([pool.end(), readPool?.end()]);
    },
  };
}
