import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMapping, type Mapping } from '../../src/adopt/mapping';
import { opsroomDatabaseName } from '../../src/adopt/mysql/migrate';
import { readConfig } from '../../src/config/env';
import { createLogger } from '../../src/logger';
import { startServer, type RunningServer } from '../../src/server';
import { runCli, tempDir } from '../support/cli';
import { MYSQL_SKIP_REASON, mysqlSchemaDump, mysqlTestDatabase, TEST_MYSQL_URL, type MysqlTestDatabase } from '../support/mysql';
import { Session } from '../support/operators';
import { TEST_ENCRYPTION_KEY } from '../support/testServer';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mysql/001_chameleon.sql');
const PASSWORD = 'adopted-operator-password';
const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

describe.skipIf(!TEST_MYSQL_URL)(`serving an adopted MySQL/MariaDB database (Chameleon)${MYSQL_SKIP_REASON}`, () => {
  let db: MysqlTestDatabase;
  let dumpBefore: string;
  let mapping: Mapping;
  let server: RunningServer;
  let session: Session;
  const cwd = tempDir('opsroom-serve-mysql-');
  const file = path.join(cwd, 'opsroom.adopt.json');

  beforeAll(async () => {
    db = await mysqlTestDatabase(FIXTURE);
    dumpBefore = await mysqlSchemaDump(db);
    const adopted = await runCli('scripts/adopt.ts', [], { cwd, env: { DATABASE_URL: db.url } });
    if (adopted.code !== 0) throw new Error(`npm run adopt failed: ${adopted.stderr}`);
    mapping = parseMapping(JSON.parse(readFileSync(file, 'utf8')), file);
    const env = { DATABASE_URL: db.url, OPSROOM_ADOPT: file };
    const created = await runCli('scripts/admin-create.ts', ['--email', 'ops@adopted.test'], { cwd, env: { ...env, OPSROOM_ADMIN_PASSWORD: PASSWORD } });
    if (created.code !== 0) throw new Error(`admin:create failed: ${created.stderr}`);
    const config = { ...readConfig({ ...env, PORT: '0', OPSROOM_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, SESSION_SECRET: 'test-session-secret' }), host: '127.0.0.1' };
    server = await startServer({ config, logger: createLogger({ level: process.env.MYSQL_TEST_LOG ? 'error' : 'silent' }), devKeyFile: path.join(os.tmpdir(), 'opsroom-test-unused.key') });
    session = new Session(server.url);
    const login = await session.login('ops@adopted.test', PASSWORD);
    if (!login.ok) throw new Error(`sign-in failed: ${login.status}`);
  }, 300_000);
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  const count = async (table: string, where = '1=1', values: unknown[] = []) =>
    Number((await db.query<{ n: number }>(`select count(*) as n from ${q(table)} where ${where}`, values))[0]!.n);

  it('lists every table and the view with the total MySQL counts, in pages that neither repeat nor skip', async () => {
    const dp = session.dataProvider();
    for (const [name, spec] of Object.entries(mapping.resources)) {
      const n = await count(spec.table);
      const first = await dp.getList(name, { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
      expect(first.total, `${name} total`).toBe(n);
      expect(first.data.length, `${name} first page`).toBe(Math.min(10, n));
      if (n > 10 && spec.id.length) {
        const second = await dp.getList(name, { pagination: { page: 2, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
        const seen = new Set(first.data.map((r) => JSON.stringify(r.id)));
        expect(second.data.some((r) => seen.has(JSON.stringify(r.id))), `${name} pages overlap`).toBe(false);
      }
    }
  });

  it('sorts by each sortable column as MySQL orders it, filters by equality and searches with q', async () => {
    const dp = session.dataProvider();
    const users = mapping.resources.users!;
    for (const field of users.sortable.filter((c) => !/^(id)$/.test(c))) {
      for (const order of ['ASC', 'DESC'] as const) {
        const page = await dp.getList('users', { pagination: { page: 1, perPage: 5 }, sort: { field, order }, filter: {} });
        const expected = await db.query<{ id: number }>(`select id from users order by ${q(field)} ${order}, id ${order} limit 5`);
        expect(page.data.map((r) => r.id), `users sorted by ${field} ${order}`).toEqual(expected.map((r) => r.id));
      }
    }
    const paid = await dp.getList('orders', { pagination: { page: 1, perPage: 5 }, sort: { field: 'id', order: 'DESC' }, filter: { status: 'paid' } });
    expect(paid.total).toBe(await count('orders', 'status = ?', ['paid']));
    expect(paid.data.every((r) => r.status === 'paid')).toBe(true);
    const [sample] = await db.query<{ email: string }>('select email from users order by id limit 1');
    const term = sample!.email.slice(0, 5).toUpperCase();
    const found = await dp.getList('users', { pagination: { page: 1, perPage: 5 }, sort: { field: 'id', order: 'ASC' }, filter: { q: term } });
    expect(found.total).toBe(await count('users', 'email like ? or nickname like ?', [`%${term}%`, `%${term}%`]));
    expect(found.total).toBeGreaterThan(0);
    const many = await dp.getMany('users', { ids: [1, 2, 3] });
    expect(many.data.map((r) => r.id).sort()).toEqual([1, 2, 3]);
  });

  it('past the exact-count threshold the total is the estimate information_schema and EXPLAIN give', async () => {
    const small = { ...server.ctx.config, exactCountLimit: 20 };
    const original = server.ctx.config;
    server.ctx.config = small;
    try {
      const res = await session.fetch('/api/users?range=[0,4]');
      expect(res.headers.get('x-total-kind')).toBe('estimate');
      expect(Number(res.headers.get('content-range')!.split('/')[1])).toBeGreaterThan(20);
      const filtered = await session.fetch(`/api/orders?range=[0,4]&filter=${encodeURIComponent(JSON.stringify({ status: 'paid' }))}`);
      expect(filtered.status).toBe(200);
    } finally {
      server.ctx.config = original;
    }
  });

  it('an edit is written and audited; a stale edit (someone wrote since) is refused with 409', async () => {
    const dp = session.dataProvider();
    const { data: user } = await dp.getOne('users', { id: 7 });
    const hostile = `Ada \u{1F600} '; drop table users; -- ${'x'.repeat(20)}`;
    const { data: saved } = await dp.update('users', { id: 7, data: { ...user, nickname: hostile }, previousData: user });
    expect(saved.nickname).toBe(hostile);
    expect((await db.query<{ nickname: string }>('select nickname from users where id = 7'))[0]!.nickname).toBe(hostile);
    const audit = await db.query<{ action: string; record_id: string }>(`select action, record_id from ${q(opsroomDatabaseName(db.name))}.opsroom_audit_log where resource = 'users' order by id desc limit 1`);
    expect(audit[0]).toEqual({ action: 'update', record_id: '7' });
    // The app writes the row behind the open form: the form's version is now stale.
    await db.query(`update users set avatar_url = 'https://cdn.example/7.png' where id = 7`);
    const stale = await session.json(`/api/users/7`, { method: 'PUT', body: JSON.stringify({ ...saved, nickname: 'lost update' }) });
    expect(stale.status).toBe(409);
    expect((await db.query<{ nickname: string }>('select nickname from users where id = 7'))[0]!.nickname).toBe(hostile);
    // NUL inside an otherwise valid record: a 400 naming the field, nothing written.
    const fresh = (await dp.getOne('users', { id: 7 })).data;
    const bad = await session.json(`/api/users/7`, { method: 'PUT', body: JSON.stringify({ ...fresh, nickname: 'a\u0000b' }) });
    expect(bad.status).toBe(400);
  });

  it('100 concurrent grants: credits and credits_trans move together, balance == ledger sum', async () => {
    const [user] = await db.query<{ id: number; uuid: string }>('select id, uuid from users order by id limit 1');
    const sumBefore = Number((await db.query<{ s: number }>('select coalesce(sum(credits), 0) as s from credits_trans where user_uuid = ?', [user!.uuid]))[0]!.s);
    const leftBefore = Number((await db.query<{ l: number }>('select coalesce(max(left_credits), 0) as l from credits where user_uuid = ?', [user!.uuid]))[0]!.l);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => session.json(`/api/users/${user!.id}/credits`, { method: 'POST', body: JSON.stringify({ amount: 3, reason: `grant ${i} \u{1F4B0}` }) })),
    );
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const [after] = await db.query<{ left_credits: number }>('select left_credits from credits where user_uuid = ?', [user!.uuid]);
    const sumAfter = Number((await db.query<{ s: number }>('select sum(credits) as s from credits_trans where user_uuid = ?', [user!.uuid]))[0]!.s);
    expect(Number(after!.left_credits)).toBe(leftBefore + 300);
    expect(sumAfter - sumBefore).toBe(300);
  }, 120_000);

  it("ran no DDL on the app: mysqldump --no-data is identical; opsroom's tables are in a database of their own", async () => {
    expect(await mysqlSchemaDump(db)).toBe(dumpBefore);
    const own = await db.query<{ t: string }>('select table_name as t from information_schema.tables where table_schema = ? order by 1', [opsroomDatabaseName(db.name)]);
    expect(own.map((r) => r.t).sort()).toEqual(['opsroom_audit_log', 'opsroom_idempotency_keys', 'opsroom_login_attempts', 'opsroom_migrations', 'opsroom_operator_sessions', 'opsroom_operators']);
  });
});
