import pg from 'pg';
import { ConfigError } from '../../server/src/config/env';
import type { Sizes } from './sizes';

export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/opsroom_bench';
/** Bump when the generator's output changes shape, so old bench databases are rebuilt. */
export const GENERATOR_VERSION = 1;
const MARKER_PREFIX = 'opsroom-bench ';

export function benchUrl(env: NodeJS.ProcessEnv = process.env): { url: string; database: string } {
  const raw = env.BENCH_DATABASE_URL?.trim() || DEFAULT_BENCH_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('BENCH_DATABASE_URL is not a valid URL: expected postgres://user@host:5432/opsroom_bench.');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new ConfigError('BENCH_DATABASE_URL names no database: expected postgres://user@host:5432/opsroom_bench.');
  // The generator drops and recreates this database; refuse names that look like someone's real data.
  if (!/bench/i.test(database)) {
    throw new ConfigError(`BENCH_DATABASE_URL points at "${database}"; the benchmark drops and refills its database, so its name must contain "bench".`);
  }
  return { url: raw, database };
}

/** The same server, its maintenance database: where CREATE/DROP DATABASE run. */
function maintenanceUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/** One short-lived connection for one job. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'opsroom-bench' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function databaseExists(url: string, database: string): Promise<boolean> {
  return withClient(maintenanceUrl(url), async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1);
}

/** Drops (if asked) and creates the bench database; returns true when it was (re)created empty. */
export async function ensureDatabase(url: string, database: string, fresh: boolean): Promise<boolean> {
  return withClient(maintenanceUrl(url), async (c) => {
    if (fresh) await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    const exists = (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1;
    if (exists) return false;
    await c.query(`CREATE DATABASE ${quoteIdent(database)}`);
    return true;
  });
}

export interface Marker {
  version: number;
  sizes: Sizes;
  generatedAt: string;
  seconds: number;
}

// A comment on the database, not a table: the bench schema stays exactly what the migrations define.
export async function readMarker(client: pg.Client, database: string): Promise<Marker | undefined> {
  const { rows } = await client.query<{ d: string | null }>(
    "SELECT shobj_description(oid, 'pg_database') AS d FROM pg_database WHERE datname = $1",
    [database],
  );
  const d = rows[0]?.d;
  if (!d?.startsWith(MARKER_PREFIX)) return undefined;
  try {
    return JSON.parse(d.slice(MARKER_PREFIX.length)) as Marker;
  } catch {
    return undefined;
  }
}

export async function writeMarker(client: pg.Client, database: string, marker: Marker) {
  const text = MARKER_PREFIX + JSON.stringify(marker);
  await client.query(`COMMENT ON DATABASE ${quoteIdent(database)} IS '${text.replace(/'/g, "''")}'`);
}

export const sameSizes = (a: Sizes, b: Sizes) =>
  a.users === b.users && a.creditTransactions === b.creditTransactions && a.generations === b.generations && a.orders === b.orders;
