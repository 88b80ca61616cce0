import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scramVerifier } from '../../server/src/db/appRole';
import { runCli } from '../../server/test/support/cli';
import type { Engine } from '../../server/test/support/engines';
import { Session } from '../../server/test/support/operators';
import { bootTestServer, type TestServer } from '../../server/test/support/testServer';

// The deploy's two database roles on a real Postgres: a migrator that owns the database (as the
// RDS master user or the Neon owner role does, without being a superuser) runs `db:migrate`, which
// creates the app's login role; the server then runs as that role. Roles are cluster-wide, so each
// gets a random name and is dropped with the throwaway database afterwards.
const BASE = process.env.TEST_DATABASE_URL;
const hex = randomBytes(4).toString('hex');
const MIGRATOR = `opsroom_t_mig_${hex}`;
const APP = `opsroom_t_app_${hex}`;
const DB = `opsroom_t_roles_${hex}`;
const FIRST_PASSWORD = randomBytes(18).toString('base64url');
const SECOND_PASSWORD = randomBytes(18).toString('base64url');

const urlFor = (user: string) => {
  const url = new URL(BASE!);
  url.username = user;
  url.password = '';
  url.pathname = `/${DB}`;
  return url.toString();
};
const connected = async <T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
};
const asSuperuser = <T>(fn: (c: pg.Client) => Promise<T>) => connected(BASE!, fn);
const asRole = <T>(user: string, fn: (c: pg.Client) => Promise<T>) => connected(urlFor(user), fn);
const migrate = (password: string, user = APP) =>
  runCli('scripts/db-migrate.ts', [], { env: { DATABASE_URL: urlFor(MIGRATOR), OPSROOM_APP_DB_USER: user, OPSROOM_APP_DB_PASSWORD: password } });
const storedVerifier = (role: string) =>
  asSuperuser(async (c) => (await c.query<{ p: string }>('SELECT rolpassword AS p FROM pg_authid WHERE rolname = $1', [role])).rows[0]?.p);
/** Recomputes a stored SCRAM verifier from a password, with the salt and iterations Postgres stored. */
const verifierFor = (stored: string, password: string) => {
  const [, params] = stored.split('$');
  const [iterations, salt] = params!.split(':');
  return scramVerifier(password, Buffer.from(salt!, 'base64'), Number(iterations));
};
const sqlState = (user: string, sql: string) =>
  asRole(user, (c) => c.query(sql)).then(() => 'ok', (err: { code?: string }) => err.code);

describe.skipIf(!BASE)(`migrator and app database roles on PostgreSQL${BASE ? '' : ' (skipped: set TEST_DATABASE_URL)'}`, () => {
  let server: TestServer | undefined;
  let firstRun: Awaited<ReturnType<typeof migrate>>;

  beforeAll(async () => {
    await asSuperuser(async (c) => {
      // What RDS and Neon hand the deploy: a database owner who may create roles, not a superuser.
      await c.query(`CREATE ROLE ${MIGRATOR} LOGIN NOSUPERUSER CREATEROLE`);
      await c.query(`CREATE DATABASE ${DB} OWNER ${MIGRATOR}`);
    });
    firstRun = await migrate(FIRST_PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await asSuperuser(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS ${APP}`);
      await c.query(`DROP ROLE IF EXISTS ${MIGRATOR}`);
    });
  });

  it('db:migrate as the owner applies the migrations, then creates the app role', () => {
    expect(firstRun.stderr).toBe('');
    expect(firstRun.code).toBe(0);
    expect(firstRun.stdout).toContain(`app role ${APP} created: row access only`);
  });

  it('the app role holds the SCRAM verifier of its password, and no attribute beyond LOGIN', async () => {
    const stored = await storedVerifier(APP);
    expect(stored).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(stored).toBe(verifierFor(stored!, FIRST_PASSWORD));
    const [attrs] = await asSuperuser(async (c) => (await c.query(
      'SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1', [APP])).rows);
    expect(attrs).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolbypassrls: false, rolcanlogin: true });
  });

  it('the app role cannot change the schema, empty a table or create roles', async () => {
    const denied = {
      'CREATE TABLE public.sneaky (id int)': '42501',
      'CREATE SCHEMA sneaky': '42501',
      'ALTER TABLE users ADD COLUMN sneaky text': '42501',
      'DROP TABLE sessions': '42501',
      'CREATE INDEX sneaky_idx ON users (email)': '42501',
      'TRUNCATE sessions': '42501',
      'CREATE ROLE sneaky': '42501',
      'INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (\'x\', 1)': '42501',
      "CREATE FUNCTION public.sneaky() RETURNS int LANGUAGE sql AS 'SELECT 1'": '42501',
      'CREATE TRIGGER sneaky AFTER INSERT ON users EXECUTE FUNCTION set_updated_at()': '42501',
    };
    const got: Record<string, string | undefined> = {};
    for (const sql of Object.keys(denied)) got[sql] = await sqlState(APP, sql);
    expect(got).toEqual(denied);
    // The same statement as the migrator succeeds: the refusals above are about the role.
    expect(await sqlState(MIGRATOR, 'CREATE TABLE public.allowed (id int); DROP TABLE public.allowed')).toBe('ok');
  });

  it('the real server runs as the app role: the first operator signs in and lists users', async () => {
    const email = `first-${hex}@ops.test`;
    const created = await runCli('scripts/admin-create.ts', ['--email', email], {
      env: { DATABASE_URL: urlFor(MIGRATOR), OPSROOM_ADMIN_PASSWORD: FIRST_PASSWORD },
    });
    expect(created.code, created.stderr).toBe(0);
    const appDatabase: Engine = {
      name: 'postgres',
      create: async () => ({
        url: urlFor(APP),
        config: { driver: 'pg', url: urlFor(APP), pooler: false, pool: { max: 4, connectionTimeoutMillis: 5000, idleTimeoutMillis: 10000 } },
        drop: async () => {},
      }),
    };
    server = await bootTestServer(appDatabase, { config: { migrations: { onStart: false, lockTimeoutMs: 5000, statementTimeoutMs: 60_000 } } });
    const session = new Session(server.url);
    expect((await session.login(email, FIRST_PASSWORD)).status).toBe(200);
    const list = await session.json('/api/users?range=[0,9]');
    expect(list.status).toBe(200);
    expect(list.body.map((u: { email: string }) => u.email)).toContain(email);
    const sessions = await asRole(APP, async (c) => (await c.query('SELECT count(*)::int AS n FROM operator_sessions')).rows[0].n);
    expect(sessions).toBeGreaterThan(0);
  });

  it('run again with a new password: the password rotates and tables created later are readable and writable', async () => {
    const second = await migrate(SECOND_PASSWORD);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`app role ${APP} updated: row access only`);
    const stored = await storedVerifier(APP);
    expect(stored).toBe(verifierFor(stored!, SECOND_PASSWORD));
    expect(stored).not.toBe(verifierFor(stored!, FIRST_PASSWORD));
    await asRole(MIGRATOR, (c) => c.query('CREATE TABLE public.later (id int GENERATED ALWAYS AS IDENTITY, note text)'));
    expect(await sqlState(APP, "INSERT INTO public.later (note) VALUES ('x'); UPDATE public.later SET note = 'y'; DELETE FROM public.later")).toBe('ok');
    expect(await sqlState(APP, 'DROP TABLE public.later')).toBe('42501');
  });

  it('an app role that is the migrator itself, or a name that is not a plain identifier, is refused with the variable to fix', async () => {
    const self = await migrate(SECOND_PASSWORD, MIGRATOR);
    expect(self.code).toBe(1);
    expect(self.stderr).toBe(`db:migrate: OPSROOM_APP_DB_USER is the migrator itself (${MIGRATOR}): the app role must be a separate role.\n`);
    const hostile = await migrate(SECOND_PASSWORD, 'app"; DROP TABLE users; --');
    expect(hostile.code).toBe(1);
    expect(hostile.stderr).toMatch(/^db:migrate: OPSROOM_APP_DB_USER must be a plain lower-case Postgres name/);
    expect(await sqlState(MIGRATOR, 'SELECT 1 FROM users LIMIT 1')).toBe('ok');
  });
});
