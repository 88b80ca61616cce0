import { beforeAll, expect, it } from 'vitest';
import type { Mapping } from '../../src/adopt/mapping';
import { opsroomDatabaseName } from '../../src/adopt/mysql/migrate';
import type { RunningServer } from '../../src/server';
import { mysqlSchemaDump, type MysqlTestDatabase } from '../support/mysql';
import type { Session } from '../support/operators';
import { describeAdoptedMysql } from '../support/mysqlAdopted';
import { checkFirstPages } from './everyResource';

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

describeAdoptedMysql('serving an adopted MySQL/MariaDB database (Chameleon)', {}, (adopted) => {
  let db: MysqlTestDatabase;
  let dumpBefore: string;
  let mapping: Mapping;
  let server: RunningServer;
  let session: Session;

  beforeAll(() => {
    ({ db, dumpBefore, mapping, server, session } = adopted());
  });

  const count = async (table: string, where = '1=1', values: unknown[] = []) =>
    Number((await db.query<{ n: number }>(`select count(*) as n from ${q(table)} where ${where}`, values))[0]!.n);

  it('lists every table and the view with the total MySQL counts, in pages that neither repeat nor skip', async () => {
    const dp = session.dataProvider();
    for (const [name, spec] of Object.entries(mapping.resources)) await checkFirstPages(dp, name, spec, await count(spec.table));
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

  it('q on a table with a FULLTEXT index matches every word as a prefix through MATCH … AGAINST; hostile q values are no 500', async () => {
    const dp = session.dataProvider();
    // posts has FULLTEXT (title, content): the adopted mapping searches exactly those columns with it.
    expect(mapping.resources.posts!.search).toEqual(expect.arrayContaining(['title', 'content']));
    await db.query(`update posts set content = 'Quantum ferret surgery, explained' where id = 7`);
    await db.query(`update posts set content = 'Ferret grooming' where id = 8`);
    const search = (q: string) => dp.getList('posts', { pagination: { page: 1, perPage: 50 }, sort: { field: 'id', order: 'ASC' }, filter: { q } });
    // Words in another order and cut short: only a word search finds it (LIKE '%surg quant%' would not).
    const found = await search('surg QUANT');
    expect(found.data.map((r) => r.id)).toEqual([7]);
    expect(found.total).toBe(1);
    expect((await search('ferret')).data.map((r) => r.id)).toEqual([7, 8]);
    // Boolean-mode operators the user types are words to look for, not operators: '-surgery' does not exclude.
    expect((await search('ferret -surgery')).data.map((r) => r.id)).toEqual([7]);
    for (const hostile of [`'`, '+-><()~*"@', '"unterminated', `a') or 1=1 -- `, '@3 ferret', '*', 'x'.repeat(10_000), 'ferret '.repeat(1_200), '\u{1F600} \\%_']) {
      const res = await session.fetch(`/api/posts?range=[0,9]&filter=${encodeURIComponent(JSON.stringify({ q: hostile }))}`);
      expect(res.status, hostile.slice(0, 30)).toBe(200);
    }
  });

  it('BIGINT ids past 2^53 travel as strings: getOne, getMany and an id filter find exactly the row', async () => {
    const dp = session.dataProvider();
    const big = '9007199254740993'; // 2^53 + 1: as a JS number it would be 2^53
    const max = '18446744073709551615';
    const { data: one } = await dp.getOne('events', { id: big });
    expect(one.id).toBe(big);
    expect(one.user_id).toBe(1);
    const many = await dp.getMany('events', { ids: [big, max, 1] });
    expect(many.data.map((r) => r.id).sort()).toEqual([1, max, big].sort());
    const filtered = await dp.getList('events', { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: { id: big } });
    expect(filtered.data.map((r) => r.id)).toEqual([big]);
    expect(filtered.total).toBe(1);
    const above = await dp.getList('events', { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: { id_gt: '9007199254740992' } });
    expect(above.data.map((r) => r.id)).toEqual([big, max]);
    expect((await session.fetch('/api/events/9007199254740992')).status).toBe(404);
    expect((await session.fetch('/api/events/18446744073709551616')).status).toBe(404);
    expect((await session.fetch('/api/events/12abc')).status).toBe(400);
    const bad = await session.fetch(`/api/events?filter=${encodeURIComponent(JSON.stringify({ id: '1e30' }))}`);
    expect(bad.status).toBe(400);
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
    for (const hostile of ['a\u0000b', 'x'.repeat(70_000), 'lone \uD800 surrogate', 1e308]) {
      const bad = await session.json(`/api/users/7`, { method: 'PUT', body: JSON.stringify({ ...fresh, nickname: hostile }) });
      expect(bad.status, String(hostile).slice(0, 20)).toBe(400);
      expect(bad.body.errors, String(hostile).slice(0, 20)).toHaveProperty('nickname');
    }
    const proto = await session.json(`/api/users/7`, { method: 'PUT', body: `{"__proto__":{"admin":true},"nickname":"still fine","_version":${JSON.stringify(fresh._version)}}` });
    expect(proto.status).toBeLessThan(500);
    expect((await db.query<{ nickname: string }>('select nickname from users where id = 7'))[0]!.nickname).not.toBe('x'.repeat(70_000));
  });

  it('a create is read back without RETURNING; a duplicate unique value is a 409, not a 500', async () => {
    const dp = session.dataProvider();
    const email = `new'user\u{1F600}@chameleon.test`;
    const { data } = await dp.create('users', { data: { uuid: 'u-new-1', email, nickname: 'New', invite_code: 'NEW1' } });
    expect(data).toMatchObject({ email, nickname: 'New', is_affiliate: false });
    expect((await db.query<{ id: number }>('select id from users where email = ?', [email]))[0]!.id).toBe(data.id);
    const dup = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ uuid: 'u-new-2', email, nickname: 'Twin', invite_code: 'NEW2' }) });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toMatch(/already exists/);
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

  it('refund, affiliate approve and pay, API-key revoke move the status once; a second try is a 409; keys stay masked', async () => {
    const post = (p: string) => session.json(p, { method: 'POST', body: '{}' });
    const [order] = await db.query<{ id: number }>(`select id from orders where status = 'paid' order by id limit 1`);
    const refunded = await post(`/api/orders/${order!.id}/refund`);
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(200);
    expect(refunded.body.status).toBe('refunded');
    expect((await db.query<{ status: string }>('select status from orders where id = ?', [order!.id]))[0]!.status).toBe('refunded');
    expect((await post(`/api/orders/${order!.id}/refund`)).status).toBe(409);

    const [affiliate] = await db.query<{ id: number }>(`select id from affiliates where status = 'pending' order by id limit 1`);
    expect((await post(`/api/affiliates/${affiliate!.id}/pay`)).status).toBe(409);
    expect((await post(`/api/affiliates/${affiliate!.id}/approve`)).body.status).toBe('approved');
    expect((await post(`/api/affiliates/${affiliate!.id}/pay`)).body.status).toBe('paid');

    const key = await session.json('/api/apikeys/1');
    expect(key.body.key).toMatch(/^••••.{4}$/);
    const revoked = await post('/api/apikeys/1/revoke');
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect((await db.query<{ status: string }>('select status from apikeys where id = 1'))[0]!.status).toBe(revoked.body.status);
    expect((await post('/api/apikeys/1/revoke')).status).toBe(409);
    const audit = await db.query<{ action: string }>(`select action from ${q(opsroomDatabaseName(db.name))}.opsroom_audit_log where action in ('refund', 'approve', 'pay', 'revoke')`);
    expect(audit.map((a) => a.action).sort()).toEqual(['approve', 'pay', 'refund', 'revoke']);
  });

  it("ran no DDL on the app: mysqldump --no-data is identical; opsroom's tables are in a database of their own", async () => {
    expect(await mysqlSchemaDump(db)).toBe(dumpBefore);
    const own = await db.query<{ t: string }>('select table_name as t from information_schema.tables where table_schema = ? order by 1', [opsroomDatabaseName(db.name)]);
    expect(own.map((r) => r.t).sort()).toEqual(['opsroom_audit_log', 'opsroom_idempotency_keys', 'opsroom_login_attempts', 'opsroom_migrations', 'opsroom_operator_sessions', 'opsroom_operators']);
  });
});
