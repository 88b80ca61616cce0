import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import dotenv from 'dotenv';
import { readIdentityConfig, type IdentityConfig } from './identity';
import { readSignInConfig, type SignInConfig } from './oidc';
import { DEFAULT_LIMITS } from '../db/migrate';

/** A configuration mistake the operator fixes by changing an environment variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** `ENVIRONMENT` names the deployment target; `NODE_ENV` is only a fallback for it. */
export function environmentName(env: NodeJS.ProcessEnv = process.env): string {
  return env.ENVIRONMENT || env.NODE_ENV || 'development';
}

/**
 * Loads `.env.{environment}.local`, then `.env.local`, then `.env`. dotenv never overrides a variable
 * that is already set, so the most specific file wins and the real environment beats every file.
 */
export function loadEnvFiles(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string[] {
  const name = environmentName(env);
  const loaded: string[] = [];
  for (const file of [`.env.${name}.local`, '.env.local', '.env']) {
    const full = path.join(cwd, file);
    if (!existsSync(full)) continue;
    dotenv.config({ path: full, processEnv: env as Record<string, string>, quiet: true });
    loaded.push(file);
  }
  return loaded;
}

export type DatabaseConfig =
  | { driver: 'pglite'; dir: string }
  | {
      driver: 'pg' | 'neon';
      url: string;
      readUrl?: string;
      /** Behind PgBouncer-style transaction pooling: never use named prepared statements. */
      pooler: boolean;
      pool: { max: number; connectionTimeoutMillis: number; idleTimeoutMillis: number };
      /** undefined: let `sslmode` in the URL decide (or no TLS in development). */
      ssl?: { rejectUnauthorized: boolean };
    }
  | MysqlConfig;

/**
 * A MySQL 8 / MariaDB 10.11+ app database: adopt mode only (server/src/adopt/mysql/README.md);
 * readConfig refuses it without OPSROOM_ADOPT.
 */
export interface MysqlConfig {
  driver: 'mysql';
  url: string;
  pool: { max: number; connectionTimeoutMillis: number; idleTimeoutMillis: number };
  /** TLS when the URL asks (ssl-mode, sslaccept, ssl) or in production; undefined: none. */
  ssl?: { rejectUnauthorized: boolean };
}

export interface Config extends IdentityConfig, SignInConfig {
  environment: string;
  production: boolean;
  port: number;
  host: string;
  database: DatabaseConfig;
  corsOrigin?: string;
  encryptionKey?: string;
  sessionSecret?: string;
  /** Lists count exactly up to this many matches, then report the planner's estimate. */
  exactCountLimit: number;
  /**
   * Which peers may speak for the client in X-Forwarded-For / X-Forwarded-Proto: a hop count, or
   * addresses and CIDR ranges (Express's `trust proxy`). Default: loopback only.
   */
  trustProxy: number | string[];
  /** In production, serve plain HTTP to clients outside loopback anyway (refused by default). */
  allowInsecureHttp: boolean;
  migrations: {
    /** Apply pending migrations at boot. Off on production stacks, where a one-off task migrates. */
    onStart: boolean;
    lockTimeoutMs: number;
    statementTimeoutMs: number;
  };
  /** OPSROOM_ADOPT: serve an existing database's own tables as this mapping file describes them. */
  adoptFile?: string;
}

const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `TRUST_PROXY`: a hop count, or a comma-separated list of addresses, CIDR ranges and Express's range names. */
export function parseTrustProxy(raw: string | undefined): number | string[] {
  const text = raw?.trim();
  if (!text) return ['loopback'];
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    if (TRUST_PROXY_NAMES.has(entry)) continue;
    const [addr, prefix, ...rest] = entry.split('/');
    const family = isIP(addr ?? '');
    const maxPrefix = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (!family || !prefixOk || rest.length) {
      throw new ConfigError(`TRUST_PROXY: "${entry}" is not a hop count, an address, a CIDR range (10.0.0.0/16) or one of loopback, linklocal, uniquelocal.`);
    }
  }
  return entries;
}

function boolVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}").`);
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be a whole number >= ${min} (got "${raw}").`);
  return n;
}

/** The variable the database URL came from: DATABASE_URL, or POSTGRES_URL (Vercel's and ZeroStarter's name) as an alias. */
export function databaseUrlVariable(env: NodeJS.ProcessEnv = process.env): 'DATABASE_URL' | 'POSTGRES_URL' | undefined {
  if (env.DATABASE_URL?.trim()) return 'DATABASE_URL';
  if (env.POSTGRES_URL?.trim()) return 'POSTGRES_URL';
  return undefined;
}

/** Neon's hosts: `*.neon.tech`, and `*.neon.db` for its private-network endpoints. */
export function isNeonHost(hostname: string): boolean {
  return /(^|\.)neon\.(tech|db)$/i.test(hostname);
}

/**
 * The password part of a connection URL as written, before any parser touched it: everything
 * between the scheme and the last `@` after the first `:`. Undefined when there is none.
 */
function rawPassword(raw: string): string | undefined {
  const rest = raw.replace(/^[a-z]+:\/\//i, '');
  const at = rest.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = rest.slice(0, at);
  const colon = userinfo.indexOf(':');
  return colon < 0 ? undefined : userinfo.slice(colon + 1);
}

/**
 * A sentence to add when the password in a URL holds characters that must be percent-encoded
 * (`@`, `#`, `/`, `?`, `:`, spaces, a `%` not starting an escape): parsers split the URL at them.
 */
export function urlEncodeHint(raw: string | undefined): string {
  const password = raw && rawPassword(raw);
  if (password === undefined || /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(password)) return '';
  return ' The password has characters that must be URL-encoded: @ → %40, # → %23, / → %2F, ? → %3F, : → %3A, % → %25, space → %20 (encodeURIComponent does it).';
}

/** URL schemes of MySQL-family servers: mysql2:// is what some hosts' dashboards print, mariadb:// MariaDB's own. */
export const MYSQL_SCHEMES = ['mysql:', 'mysql2:', 'mariadb:'];

/** The one line for a MySQL URL where only PostgreSQL will do. */
export const MYSQL_NEEDS_ADOPT =
  'a mysql:// (or mysql2://, mariadb://) DATABASE_URL works only in adopt mode: run npm run adopt, then start with OPSROOM_ADOPT=./opsroom.adopt.json; opsroom\'s built-in schema needs PostgreSQL (postgres://…).';

/**
 * TLS for a MySQL URL. PlanetScale prints `?sslaccept=strict` (Prisma's spelling) or `?ssl={"rejectUnauthorized":true}`,
 * RDS and Azure document `ssl-mode=REQUIRED`/`VERIFY_IDENTITY`; mysql2 reads none of these itself.
 */
export function mysqlTls(url: URL, production: boolean): { rejectUnauthorized: boolean } | undefined {
  const mode = (url.searchParams.get('ssl-mode') ?? url.searchParams.get('sslmode') ?? '').toUpperCase();
  const accept = url.searchParams.get('sslaccept');
  const ssl = url.searchParams.get('ssl');
  if (mode === 'DISABLED' || mode === 'DISABLE' || ssl === 'false' || ssl === '0') return undefined;
  if (mode === 'REQUIRED' || mode === 'REQUIRE' || mode === 'PREFERRED' || accept === 'accept_invalid_certs') return { rejectUnauthorized: false };
  if (mode.startsWith('VERIFY') || accept === 'strict' || (ssl !== null && ssl !== '')) return { rejectUnauthorized: true };
  return production ? { rejectUnauthorized: true } : undefined;
}

/** Does DATABASE_URL name a MySQL-family server? (Only DATABASE_URL: POSTGRES_URL is an alias Postgres hosts set, and says Postgres by its name.) */
export function isMysqlDatabaseUrl(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.DATABASE_URL?.trim().toLowerCase();
  return Boolean(raw && MYSQL_SCHEMES.some((s) => raw.startsWith(`${s}//`)));
}

/** DATABASE_URL as a MySQL-family database, or undefined when it is not one. */
export function readMysqlConfig(env: NodeJS.ProcessEnv = process.env): MysqlConfig | undefined {
  if (!isMysqlDatabaseUrl(env)) return undefined;
  const raw = env.DATABASE_URL!.trim();
  const url = parseDbUrl('DATABASE_URL', raw);
  if (!url.pathname.replace(/^\//, '')) throw new ConfigError(`DATABASE_URL names no database: expected ${url.protocol}//user:password@host:3306/database.`);
  return { driver: 'mysql', url: raw, pool: poolOf(env), ssl: mysqlTls(url, env.NODE_ENV === 'production') };
}

function parseDbUrl(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
    decodeURIComponent(url.password);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: expected postgres://user:password@host:5432/database.${urlEncodeHint(raw)}`);
  }
  if (MYSQL_SCHEMES.includes(url.protocol) && name === 'DATABASE_URL') return url;
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`${name} must start with postgres:// or postgresql:// (got "${url.protocol}//").`);
  }
  if (!url.hostname) throw new ConfigError(`${name} has no host: expected postgres://user:password@host:5432/database.${urlEncodeHint(raw)}`);
  return url;
}

function poolOf(env: NodeJS.ProcessEnv) {
  return {
    max: intVar(env, 'DB_POOL_MAX', 10, 1),
    connectionTimeoutMillis: intVar(env, 'DB_CONNECT_TIMEOUT_MS', 5000, 1),
    idleTimeoutMillis: intVar(env, 'DB_IDLE_TIMEOUT_MS', 30000, 0),
  };
}

/** Reads the environment into a typed config; throws ConfigError with a one-line fix on bad input. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = intVar(env, 'PORT', 3000);
  if (port > 65535) throw new ConfigError(`PORT must be between 0 and 65535 (got "${env.PORT}").`);

  let database: DatabaseConfig;
  const urlVariable = databaseUrlVariable(env);
  const rawUrl = urlVariable && env[urlVariable]!.trim();
  if (!rawUrl) {
    // A container's disk is thrown away on every deploy: production runs on the embedded database
    // only when asked to by name, never because DATABASE_URL went missing.
    if (production && !env.PGLITE_DIR) {
      throw new ConfigError('DATABASE_URL is required when NODE_ENV=production: set it to postgres://user:password@host:5432/database (or set PGLITE_DIR to use the embedded database on purpose).');
    }
    database = { driver: 'pglite', dir: env.PGLITE_DIR || path.resolve('.data/pglite') };
  } else if (readMysqlConfig(env)) {
    if (!env.OPSROOM_ADOPT) throw new ConfigError(MYSQL_NEEDS_ADOPT);
    database = readMysqlConfig(env)!;
  } else {
    const url = parseDbUrl(urlVariable!, rawUrl);
    const readUrl = env.DATABASE_READ_URL?.trim() || undefined;
    if (readUrl) parseDbUrl('DATABASE_READ_URL', readUrl);
    // Supavisor/PgBouncer on :6543, or Neon's pooled endpoint (ep-…-pooler.<region>.aws.neon.tech).
    const pooler = env.DB_POOLER === '1' || env.DB_POOLER === 'true' || url.port === '6543' || url.hostname.includes('-pooler.');
    database = {
      driver: isNeonHost(url.hostname) ? 'neon' : 'pg',
      url: rawUrl,
      readUrl,
      pooler,
      pool: poolOf(env),
      // In production, TLS with a verified certificate unless the URL's sslmode asks for something else.
      ssl: production && !url.searchParams.has('sslmode') ? { rejectUnauthorized: true } : undefined,
    };
  }

  const encryptionKey = env.OPSROOM_ENCRYPTION_KEY || undefined;
  const sessionSecret = env.SESSION_SECRET || undefined;
  if (production && database.driver !== 'pglite') {
    if (!encryptionKey) throw new ConfigError('OPSROOM_ENCRYPTION_KEY is required in production: set it to 32 random bytes, base64 (openssl rand -base64 32).');
    if (!sessionSecret) throw new ConfigError('SESSION_SECRET is required in production: set it to a long random string (openssl rand -base64 32).');
  }

  return {
    environment: environmentName(env),
    production,
    port,
    host: env.HOST || '0.0.0.0',
    database,
    corsOrigin: env.CORS_ORIGIN || undefined,
    encryptionKey,
    sessionSecret,
    exactCountLimit: intVar(env, 'OPSROOM_EXACT_COUNT_LIMIT', 10_000, 0),
    ...readIdentityConfig(env),
    ...readSignInConfig(env),
    adoptFile: env.OPSROOM_ADOPT ? path.resolve(env.OPSROOM_ADOPT) : undefined,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    allowInsecureHttp: env.ALLOW_INSECURE_HTTP === '1' || env.ALLOW_INSECURE_HTTP === 'true',
    migrations: {
      onStart: boolVar(env, 'MIGRATE_ON_START', true),
      lockTimeoutMs: intVar(env, 'MIGRATION_LOCK_TIMEOUT_MS', DEFAULT_LIMITS.lockTimeoutMs, 1),
      statementTimeoutMs: intVar(env, 'MIGRATION_STATEMENT_TIMEOUT_MS', DEFAULT_LIMITS.statementTimeoutMs, 0),
    },
  };
}
