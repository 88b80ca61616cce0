import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config/env';
import { openPglite } from '../../src/db/client';
import { describeFailure } from '../../src/db/errors';
import { assertSupportedPostgres } from '../../src/db/serverVersion';
import { runCli, tempDir } from '../support/cli';
import { engines } from '../support/engines';

const ENCODE_HINT = /The password has characters that must be URL-encoded: @ → %40, # → %23/;

describe('the database URL', () => {
  it('POSTGRES_URL is accepted when DATABASE_URL is unset, and DATABASE_URL wins when both are', () => {
    expect(readConfig({ POSTGRES_URL: 'postgres://app:pw@db.internal:5432/app' }).database).toMatchObject({ driver: 'pg', url: 'postgres://app:pw@db.internal:5432/app' });
    expect(readConfig({ POSTGRES_URL: 'postgres://b/app', DATABASE_URL: 'postgres://a/app' }).database).toMatchObject({ url: 'postgres://a/app' });
    expect(() => readConfig({ POSTGRES_URL: 'mysql://db/app' })).toThrow(/^POSTGRES_URL must start with postgres:\/\//);
  });

  it('neon.db hosts are Neon, like neon.tech; look-alikes are not', () => {
    expect(readConfig({ DATABASE_URL: 'postgres://app:pw@ep-quiet-sun-123.us-east-2.aws.neon.db/neondb' }).database.driver).toBe('neon');
    expect(readConfig({ DATABASE_URL: 'postgres://app:pw@ep-quiet-sun-123.us-east-2.aws.neon.tech/neondb' }).database.driver).toBe('neon');
    expect(readConfig({ DATABASE_URL: 'postgres://app:pw@notneon.db.example.com/app' }).database.driver).toBe('pg');
    expect(readConfig({ DATABASE_URL: 'postgres://app:pw@myneon.dbhost/app' }).database.driver).toBe('pg');
  });

  it('a server that asks for a password when neither the URL nor PGPASSWORD has one gets a sentence naming both', () => {
    // The message pg gives against a scram-sha-256 server (seen on a real one; the shared test server trusts 127.0.0.1).
    const err = new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string');
    expect(describeFailure(err, 'DATABASE_URL')).toBe(
      'DATABASE_URL: the server asks for a password and neither DATABASE_URL nor PGPASSWORD holds one. Put it in DATABASE_URL (postgres://user:password@host:5432/database) or set PGPASSWORD.',
    );
  });

  it('a password with unencoded special characters gets the URL-encode hint; an encoded one does not', () => {
    expect(() => readConfig({ DATABASE_URL: 'postgres://app:pa#ss@db:5432/app' })).toThrow(ENCODE_HINT);
    expect(() => readConfig({ DATABASE_URL: 'postgres://app:100%off@db:5432/app' })).toThrow(ENCODE_HINT);
    expect(readConfig({ DATABASE_URL: 'postgres://app:pa%23ss%40x@db:5432/app' }).database.driver).toBe('pg');
    expect(() => readConfig({ DATABASE_URL: 'postgres://db:notaport/app' })).toThrow(ConfigError);
    expect(() => readConfig({ DATABASE_URL: 'postgres://db:notaport/app' })).not.toThrow(ENCODE_HINT);
  });

  it('a refused password mentions URL-encoding only when the password has special characters', () => {
    const refused = Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' });
    const saved = process.env.DATABASE_URL;
    try {
      process.env.DATABASE_URL = 'postgres://app:p@ss@db:5432/app';
      expect(describeFailure(refused)).toMatch(ENCODE_HINT);
      process.env.DATABASE_URL = 'postgres://app:plain@db:5432/app';
      expect(describeFailure(refused)).toBe('DATABASE_URL: the server refused the user or password. Fix the credentials in DATABASE_URL.');
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  it('a server older than PostgreSQL 14 is refused with one line; 14 and newer pass', async () => {
    const reporting = (v: string, version: string) => async () => [{ v, version }];
    await expect(assertSupportedPostgres(reporting('130011', '13.11'))).rejects.toThrow(
      'DATABASE_URL: PostgreSQL 13.11 is too old; opsroom needs PostgreSQL 14 or newer. Upgrade the server or point DATABASE_URL at a newer one.',
    );
    await expect(assertSupportedPostgres(reporting('140000', '14.0'))).resolves.toBe(14);
  });

  it('on the embedded database, a permission error (42501) is one line naming the grants to give', async () => {
    const client = await openPglite('memory://');
    try {
      await expect(assertSupportedPostgres(async (q) => (await client.query<{ v: string }>(q)).rows, 'PGLITE_DIR')).resolves.toBeGreaterThanOrEqual(14);
      await client.exec('CREATE ROLE app_reader; SET ROLE app_reader;');
      const err = await client.exec('CREATE TABLE not_allowed (id int)').catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe('42501');
      expect(describeFailure(err, 'DATABASE_URL')).toMatch(/^DATABASE_URL: permission denied \(permission denied for schema public\)\. The database user needs CREATE on the database and its schema, and SELECT, INSERT, UPDATE, DELETE on the tables: GRANT them, or connect as the owner\.$/);
    } finally {
      await client.close();
    }
  });
});

describe('npm run db:migrate with a bad URL', () => {
  it('prints the URL-encode hint in one line', async () => {
    const result = await runCli('scripts/db-migrate.ts', [], { env: { DATABASE_URL: 'postgres://app:se#cret@127.0.0.1:5432/app' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^db:migrate: DATABASE_URL is not a valid URL: .*%23.*\n$/);
  });
});

// Both need a server: POSTGRES_URL names one, and PGlite has no users to deny.
const postgres = engines.find((e) => e.name === 'postgres');
describe.skipIf(!postgres)(`the database URL through the CLI [postgres]${postgres ? '' : ' (skipped: set TEST_DATABASE_URL to run it on PostgreSQL)'}`, () => {
  let created: { url?: string; drop(): Promise<void> } | undefined;
  const cwd = tempDir();
  beforeAll(async () => {
    created = await postgres!.create();
  });
  afterAll(async () => {
    await created?.drop();
  });
  const db = () => ({ cwd, env: { DATABASE_URL: created!.url! } });

  it('npm run db:migrate accepts POSTGRES_URL as DATABASE_URL', async () => {
    const result = await runCli('scripts/db-migrate.ts', [], { cwd: db().cwd, env: { POSTGRES_URL: db().env.DATABASE_URL! } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/migration\(s\) applied|up to date/);
  });

  it('a user without privileges gets the 42501 line from npm run db:migrate', async () => {
    const url = new URL(db().env.DATABASE_URL!);
    const role = `opsroom_noperm_${Date.now()}`;
    const pg = await import('pg');
    const admin = new pg.default.Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN`);
      await admin.query(`REVOKE CREATE ON DATABASE ${url.pathname.slice(1)} FROM PUBLIC`);
      url.username = role;
      const result = await runCli('scripts/db-migrate.ts', [], { cwd: db().cwd, env: { DATABASE_URL: url.toString() } });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^db:migrate: (migration \S+ failed: )?DATABASE_URL: permission denied \(.+\)\. The database user needs CREATE .*GRANT them, or connect as the owner\.\n$/);
    } finally {
      await admin.query(`DROP OWNED BY ${role}`).catch(() => {});
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await admin.end();
    }
  });
});
