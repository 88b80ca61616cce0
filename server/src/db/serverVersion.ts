import { ConfigError } from '../config/env';

export const MIN_POSTGRES_MAJOR = 14;

/**
 * Refuses a server older than PostgreSQL 14 before any migration runs. opsroom is built and tested
 * on 14 and newer; on an older server something fails later, in a message that names a statement
 * rather than the cause.
 */
export async function assertSupportedPostgres(
  query: (sql: string) => Promise<{ v: string }[]>,
  variable = 'DATABASE_URL',
): Promise<number> {
  const [row] = await query("select current_setting('server_version_num') as v, current_setting('server_version') as version");
  const num = Number(row?.v);
  if (!Number.isFinite(num) || num <= 0) throw new ConfigError(`${variable}: the server did not report a PostgreSQL version; opsroom needs PostgreSQL ${MIN_POSTGRES_MAJOR} or newer.`);
  const major = Math.floor(num / 10000);
  if (major < MIN_POSTGRES_MAJOR) {
    const shown = (row as { version?: string }).version ?? String(major);
    throw new ConfigError(`${variable}: PostgreSQL ${shown} is too old; opsroom needs PostgreSQL ${MIN_POSTGRES_MAJOR} or newer. Upgrade the server or point ${variable} at a newer one.`);
  }
  return major;
}
