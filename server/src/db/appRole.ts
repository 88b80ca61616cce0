import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The login role the serving app connects as: it reads and writes rows and owns nothing, so a
 * compromised task cannot drop a table, change the schema or create roles. The migrator (the
 * database owner: the RDS master user or the Neon project's owner role) runs every DDL statement
 * and keeps this role's grants in step after each migration run.
 */
export interface AppRole {
  name: string;
  password: string;
}

/** Schemas whose tables the app works on; the migration journal's schema is read-only to it. */
const DATA_SCHEMAS = ['public'];
const READ_ONLY_SCHEMAS = ['drizzle'];

export class AppRoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppRoleError';
  }
}

/**
 * Reads the app role from OPSROOM_APP_DB_USER / OPSROOM_APP_DB_PASSWORD; undefined when neither is
 * set (a single-user database, as on a laptop).
 */
export function appRoleFromEnv(env: NodeJS.ProcessEnv = process.env): AppRole | undefined {
  const name = env.OPSROOM_APP_DB_USER?.trim();
  const password = env.OPSROOM_APP_DB_PASSWORD ?? '';
  if (!name && !password) return undefined;
  if (!name) throw new AppRoleError('OPSROOM_APP_DB_PASSWORD is set but OPSROOM_APP_DB_USER is not: set both (the app role\'s name and password) or neither.');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new AppRoleError(`OPSROOM_APP_DB_USER must be a plain lower-case Postgres name (letters, digits, _), got "${name}".`);
  if (password.length < 16) throw new AppRoleError('OPSROOM_APP_DB_PASSWORD must be at least 16 characters.');
  return { name, password };
}

/**
 * The SCRAM-SHA-256 verifier Postgres stores for a password (RFC 5802/7677, Postgres' own format).
 * Sending the verifier instead of the password keeps the plaintext out of the server's statement
 * log (`log_statement = ddl` would print `ALTER ROLE … PASSWORD '…'` verbatim).
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  // SASLprep leaves ASCII-printable passwords unchanged; the generated ones are letters and digits.
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * Creates the app role or sets its password, and grants it exactly row access: SELECT, INSERT,
 * UPDATE, DELETE on the tables and USAGE on the sequences of the data schemas, for the tables
 * there now and (default privileges) for those the migrator creates later. No CREATE on any
 * schema, no TRUNCATE, no ownership. Runs in one transaction, as the migrator.
 */
export async function ensureAppRole(client: pg.Client, role: AppRole): Promise<'created' | 'updated'> {
  const name = ident(role.name);
  await client.query('BEGIN');
  try {
    const [{ me, db }] = (await client.query<{ me: string; db: string }>('SELECT current_user AS me, current_database() AS db')).rows;
    if (me === role.name) throw new AppRoleError(`OPSROOM_APP_DB_USER is the migrator itself (${me}): the app role must be a separate role.`);
    const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.name])).rowCount === 1;
    const password = literal(scramVerifier(role.password));
    await client.query(exists ? `ALTER ROLE ${name} WITH LOGIN PASSWORD ${password}` : `CREATE ROLE ${name} WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD ${password}`);
    await client.query(`GRANT CONNECT ON DATABASE ${ident(db)} TO ${name}`);
    // Before Postgres 15 every role may CREATE in public; from 15 on this is already so.
    await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    for (const schema of DATA_SCHEMAS) {
      const s = ident(schema);
      await client.query(`GRANT USAGE ON SCHEMA ${s} TO ${name}`);
      await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${name}`);
      await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${name}`);
      await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${name}`);
      await client.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${name}`);
    }
    for (const schema of READ_ONLY_SCHEMAS) {
      const found = (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;
      if (!found) continue;
      await client.query(`GRANT USAGE ON SCHEMA ${ident(schema)} TO ${name}`);
      await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${ident(schema)} TO ${name}`);
    }
    await client.query('COMMIT');
    return exists ? 'updated' : 'created';
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** Connects as the migrator and runs ensureAppRole. */
export async function ensureAppRoleAt(target: { url: string; ssl?: pg.ClientConfig['ssl'] }, role: AppRole): Promise<'created' | 'updated'> {
  const client = new pg.Client({ connectionString: target.url, ssl: target.ssl, application_name: 'opsroom-migrate' });
  await client.connect();
  try {
    return await ensureAppRole(client, role);
  } finally {
    await client.end().catch(() => {});
  }
}
