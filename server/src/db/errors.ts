import { ConfigError, databaseUrlVariable, urlEncodeHint } from '../config/env';

/**
 * Turns a driver error met while connecting into one sentence that names the variable and the fix.
 * Returns undefined for errors that are not about reaching the database (those are real bugs).
 */
export function describeConnectionError(err: unknown, variable = 'DATABASE_URL'): string | undefined {
  type NetError = { code?: string; message?: string; errors?: unknown[]; address?: string; port?: number; hostname?: string };
  const e = err as NetError;
  // pg reports "connection refused" for every address it tried as an AggregateError.
  const first = (e?.errors?.[0] as NetError | undefined) ?? e;
  const code = first?.code ?? e?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return `${variable}: connection refused at ${hostOf(first)}. Start the database server or fix the host/port in ${variable}.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${variable}: host not found (${hostOf(first)}). Fix the host name in ${variable}.`;
    case 'ETIMEDOUT':
      return `${variable}: connection timed out. Check the host, firewall or security group, or raise DB_CONNECT_TIMEOUT_MS.`;
    case '28P01':
    case '28000':
    case 'ER_ACCESS_DENIED_ERROR':
      return `${variable}: the server refused the user or password. Fix the credentials in ${variable}.${urlEncodeHint(process.env[variable])}`;
    case '42501':
      return `${variable}: permission denied (${first?.message}). The database user needs CREATE on the database and its schema, and SELECT, INSERT, UPDATE, DELETE on the tables: GRANT them, or connect as the owner.`;
    case 'ER_BAD_DB_ERROR':
    case '3D000':
      return `${variable}: ${first?.message}. Create the database or fix its name in ${variable}.`;
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return `${variable}: the server does not speak TLS. Drop ssl/sslaccept from ${variable}, or add ssl-mode=DISABLED for a local server.`;
    case 'ER_SECURE_TRANSPORT_REQUIRED':
      return `${variable}: the server requires TLS. Add ssl-mode=REQUIRED (or sslaccept=strict to verify its certificate) to ${variable}.`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return `${variable}: the server's TLS certificate could not be verified. Add sslmode=no-verify to ${variable} only if you trust the network.`;
  }
  if (/timeout expired|Connection terminated due to connection timeout/i.test(e?.message ?? '')) {
    return `${variable}: connection timed out. Check the host, firewall or security group, or raise DB_CONNECT_TIMEOUT_MS.`;
  }
  // pg's words when the server asks for a SCRAM password and none was given (a URL without one, as
  // the deploy's migrator URL is, and no PGPASSWORD).
  if (/client password must be a string/i.test(e?.message ?? '')) {
    return `${variable}: the server asks for a password and neither ${variable} nor PGPASSWORD holds one. Put it in ${variable} (postgres://user:password@host:5432/database) or set PGPASSWORD.`;
  }
  if (/does not support SSL|server does not support SSL/i.test(e?.message ?? '')) {
    return `${variable}: the server does not speak TLS. Add sslmode=disable to ${variable} for a local server.`;
  }
  return undefined;
}

function hostOf(e: { address?: string; port?: number; hostname?: string } | undefined): string {
  if (!e) return 'the configured host';
  if (e.hostname) return e.hostname;
  return e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : 'the configured host';
}

/**
 * The one line a CLI prints when it stops: a configuration mistake, a bad flag, an unreachable
 * database, a failed migration or a database never migrated. Undefined for anything else (a real bug).
 */
export function describeFailure(err: unknown, variable: string = databaseUrlVariable() ?? 'PGLITE_DIR'): string | undefined {
  if (err instanceof ConfigError || (err as Error | undefined)?.name === 'ChangedMigrationError') return (err as Error).message;
  const e = err as { code?: string; message?: string; migration?: string; cause?: unknown } | undefined;
  // node:util parseArgs: an unknown flag or a missing value.
  if (e?.code?.startsWith('ERR_PARSE_ARGS')) return `${e.message?.replace(/\.?$/, '.')} See --help.`;
  if (e?.migration) {
    const denied = (e.cause as { code?: string } | undefined)?.code === '42501' ? describeConnectionError(e.cause, variable) : undefined;
    return `migration ${e.migration} failed: ${denied ?? e.message}`;
  }
  const connection = describeConnectionError(err, variable);
  if (connection) return connection;
  if (e?.code === '42P01') return `the database has no schema yet (${e.message}). Run npm run db:migrate first.`;
  // Drizzle wraps the driver's error ("Failed query: …") and keeps the original as `cause`.
  if (e?.cause && e.cause !== err) return describeFailure(e.cause, variable);
  return undefined;
}

/** What a database error says about itself: the SQLSTATE and, for constraint errors, which one and why. */
export interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  column?: string;
  message?: string;
}

/** The error and the errors it wraps (Drizzle keeps the driver's error as `cause`), outermost first. */
export function* errorChain(err: unknown): Generator<PgError & { cause?: unknown }> {
  const seen = new Set<unknown>();
  for (let e = err; e && typeof e === 'object' && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    yield e as PgError;
  }
}

/** The database's own error behind any wrappers: the first in the chain with a code, or `{}`. */
export function pgErrorOf(err: unknown): PgError {
  for (const e of errorChain(err)) if (e.code) return e;
  return {};
}

/** A unique constraint refused the write (a racing duplicate, a key already used). */
export const isUniqueViolation = (err: unknown): boolean => pgErrorOf(err).code === '23505';

// Connection-level failures: the database, not the request, is at fault, and retrying may work.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', '53300']);
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed|Cannot use a pool after calling end|Client was closed and is not queryable|PGlite is closed/i;

/** The database could not be reached or dropped the connection, at any level of wrapping. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of errorChain(err)) {
    if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
    if (UNAVAILABLE_MESSAGE.test(e.message ?? '')) return true;
  }
  return false;
}
