import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMapping, type Mapping } from '../../src/adopt/mapping';
import { readMysqlCatalog } from '../../src/adopt/mysql/catalog';
import { connectMysql } from '../../src/adopt/mysql/connect';
import { readMysqlConfig } from '../../src/config/env';
import { runCli, tempDir } from '../support/cli';
import { MYSQL_SKIP_REASON, mysqlSchemaDump, mysqlTestDatabase, TEST_MYSQL_URL, type MysqlTestDatabase } from '../support/mysql';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mysql/001_chameleon.sql');
const CHAMELEON = ['affiliates', 'ai_provider_keys', 'apikeys', 'credits', 'credits_trans', 'feedbacks', 'generations', 'orders', 'posts', 'users'];

describe.skipIf(!TEST_MYSQL_URL)(`npm run adopt on MySQL/MariaDB (Chameleon's MySQL tables)${MYSQL_SKIP_REASON}`, () => {
  let db: MysqlTestDatabase;
  let dumpBefore: string;
  let mapping: Mapping;
  let firstRun: { code: number | null; stdout: string; stderr: string };
  const cwd = tempDir('opsroom-adopt-mysql-');
  const file = path.join(cwd, 'opsroom.adopt.json');

  beforeAll(async () => {
    db = await mysqlTestDatabase(FIXTURE);
    dumpBefore = await mysqlSchemaDump(db);
    firstRun = await runCli('scripts/adopt.ts', [], { cwd, env: { DATABASE_URL: db.url } });
    if (firstRun.code === 0) mapping = parseMapping(JSON.parse(readFileSync(file, 'utf8')), file);
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('writes opsroom.adopt.json in the Postgres shape: every table and the view, the database as "public"', () => {
    expect(firstRun.code, firstRun.stderr).toBe(0);
    expect(firstRun.stdout).toMatch(/adopt: 12 tables and 1 views in public/);
    expect(mapping.schemas).toEqual(['public']);
    expect(Object.keys(mapping.resources).sort()).toEqual([...CHAMELEON, 'events', 'legacy_notes', 'paying_users'].sort());
    expect(mapping.resources.users).toMatchObject({ schema: 'public', table: 'users', kind: 'table', id: ['id'], readOnly: false, search: ['email', 'nickname'] });
    expect(mapping.resources.paying_users).toMatchObject({ kind: 'view', id: [], readOnly: true });
    expect(mapping.resources.users!.rowEstimate).toBeGreaterThanOrEqual(250);
  });

  it('reads MySQL types as they are: TINYINT(1), unsigned, BIGINT, ENUM, SET, JSON, DATETIME(3), TIMESTAMP', () => {
    const users = mapping.resources.users!.columns!;
    expect(users.id).toBe('int(11) not null');
    expect(users.is_affiliate).toBe('tinyint(1) not null');
    expect(users.created_at).toBe('timestamp');
    const events = mapping.resources.events!;
    expect(events.columns).toMatchObject({
      id: 'bigint(20) unsigned not null',
      attempts: 'tinyint(3) unsigned not null',
      happened_at: 'datetime(3) not null',
      flags: "set('beta','staff','vip') not null",
      payload: 'longtext',
      amount: 'decimal(12,2)',
    });
    // Binary and secret columns are hidden; a SET (a list) and JSON stay out of the list view.
    expect(events.hidden).toEqual(expect.arrayContaining(['digest', 'password_hash']));
    expect(events.list).not.toContain('flags');
    expect(events.list).not.toContain('payload');
    expect(events.sortable).toContain('happened_at');
    expect(events.sortable).not.toContain('payload');
  });

  it('the catalog gives the run-time types: TINYINT(1) as bool, MariaDB JSON as json, ENUM/SET members, identity and generated columns', async () => {
    const m = await connectMysql(readMysqlConfig({ DATABASE_URL: db.url })!);
    try {
      const catalog = await readMysqlCatalog(m.db, m.database, ['public']);
      const col = (t: string, c: string) => catalog.tables.find((x) => x.name === t)!.columns.find((x) => x.name === c)!;
      expect(col('users', 'is_affiliate')).toMatchObject({ udt: 'bool', nullable: false, hasDefault: true });
      expect(col('ai_provider_keys', 'is_enabled').udt).toBe('bool');
      expect(col('events', 'level').udt).toBe('tinyint');
      expect(col('events', 'payload').udt).toBe('json');
      expect(col('users', 'id')).toMatchObject({ udt: 'int', identity: 'by default', hasDefault: true });
      expect(col('users', 'nickname')).toMatchObject({ nullable: true, hasDefault: false });
      expect(col('legacy_notes', 'title_upper')).toMatchObject({ generated: true });
      expect(col('events', 'flags')).toMatchObject({ isArray: true, enum: 'public.events.flags' });
      expect(catalog.enums['public.events.kind']).toEqual(['signup', `it's "quoted"`, 'a,b', 'back\\slash']);
      // A member MariaDB's utf8mb3 catalog mangled to '?' cannot be trusted as a choice: plain text.
      const mood = col('events', 'mood');
      expect(mood.enum ?? null).toBe(null);
      if (/mariadb/i.test((await db.query<{ v: string }>('select version() as v'))[0]!.v)) expect(mood.type).toBe("enum('ok','?')");
      expect(catalog.tables.find((t) => t.name === 'posts')!.indexes).toContainEqual({ name: 'posts_title_content_ft', columns: ['title', 'content'], unique: false, fulltext: true });
      expect(catalog.tables.find((t) => t.name === 'users')!.uniques).toEqual(expect.arrayContaining([['uuid'], ['email']]));
    } finally {
      await m.close();
    }
  });

  it('keeps foreign keys where the engine has them, and infers Chameleon\'s user_uuid links', () => {
    expect(mapping.resources.events!.references.user_id).toEqual({ resource: 'users', column: 'id' });
    // MyISAM keeps no foreign keys: the convention still links user_id → users.id.
    expect(mapping.resources.legacy_notes!.references.user_id).toEqual({ resource: 'users', column: 'id' });
    for (const t of ['orders', 'credits', 'credits_trans', 'generations', 'apikeys']) {
      expect(mapping.resources[t]!.references.user_uuid, t).toEqual({ resource: 'users', column: 'uuid' });
    }
    // A generated column is the database's to set: shown, never written (the server reads this from the catalog).
    expect(mapping.resources.legacy_notes!.columns!.title_upper).toBe('varchar(255)');
  });

  it('recognises Chameleon\'s capabilities and protects the balance and ledger tables', () => {
    const caps = mapping.capabilities;
    expect(caps.credits).toMatchObject({ kind: 'credits', enabled: true, resource: 'users', userKey: 'uuid', balance: { resource: 'credits', left: 'left_credits' }, ledger: { resource: 'credits_trans', amount: 'credits', typeValue: 'system_add' } });
    expect(caps.refund).toMatchObject({ enabled: true, resource: 'orders', from: ['paid'], to: 'refunded' });
    expect(caps.api_key_revoke).toMatchObject({ enabled: true, resource: 'apikeys' });
    expect(mapping.resources.credits!.readOnly).toBe(true);
    expect(mapping.resources.credits_trans!.readOnly).toBe(true);
    expect(mapping.resources.apikeys!.masked).toEqual(['key']);
    expect(mapping.resources.ai_provider_keys!.masked).toEqual(['api_key']);
  });

  it('ran no DDL: mysqldump --no-data of the app\'s database is identical before and after', async () => {
    expect(await runCli('scripts/adopt.ts', ['--check'], { cwd, env: { DATABASE_URL: db.url } })).toMatchObject({ code: 0 });
    expect(await mysqlSchemaDump(db)).toBe(dumpBefore);
    const [{ n }] = await db.query<{ n: number }>(`select count(*) as n from information_schema.tables where table_schema = ?`, [db.name]);
    expect(Number(n)).toBe(13);
  });

  it('mysql2:// and mariadb:// URLs read the same database; re-running keeps edits', async () => {
    const edited = JSON.parse(readFileSync(file, 'utf8'));
    edited.resources.users.label = 'Customers';
    (await import('node:fs')).writeFileSync(file, JSON.stringify(edited, null, 2));
    for (const scheme of ['mysql2:', 'mariadb:']) {
      const url = new URL(db.url);
      const again = await runCli('scripts/adopt.ts', [], { cwd, env: { DATABASE_URL: db.url.replace(/^mysql:/, scheme) } });
      expect(again.code, `${url.protocol} ${again.stderr}`).toBe(0);
      expect(again.stdout).toMatch(/your edits kept/);
    }
    expect(JSON.parse(readFileSync(file, 'utf8')).resources.users.label).toBe('Customers');
  });

  it('a database that does not exist, or TLS the server cannot speak, is one line naming the fix', async () => {
    const missing = new URL(db.url);
    missing.pathname = '/opsroom_no_such_database';
    const res = await runCli('scripts/adopt.ts', ['--out', path.join(cwd, 'x.json')], { env: { DATABASE_URL: missing.toString() } });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toMatch(/^adopt: DATABASE_URL: Unknown database 'opsroom_no_such_database'\. Create the database or fix its name in DATABASE_URL\.$/);

    // ssl-mode=REQUIRED really asks for TLS: this local server has none, so the handshake says so.
    const tls = await runCli('scripts/adopt.ts', ['--out', path.join(cwd, 'y.json')], { env: { DATABASE_URL: `${db.url}?ssl-mode=REQUIRED` } });
    const have = await db.query<{ Value: string }>(`show variables like 'have_ssl'`);
    if (have[0]?.Value === 'YES') expect(tls.code, tls.stderr).toBe(0);
    else {
      expect(tls.code).toBe(1);
      expect(tls.stderr.trim()).toBe('adopt: DATABASE_URL: the server does not speak TLS. Drop ssl/sslaccept from DATABASE_URL, or add ssl-mode=DISABLED for a local server.');
    }
  });

  it('npm start on the MySQL database without OPSROOM_ADOPT says in one line what is supported', async () => {
    const res = await runCli('server/src/main.ts', [], { cwd, env: { DATABASE_URL: db.url, PORT: '0' } });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toMatch(/^opsroom: a mysql:\/\/ \(or mysql2:\/\/, mariadb:\/\/\) DATABASE_URL works only in adopt mode: run npm run adopt/);
  });
});
