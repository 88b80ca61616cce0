import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { checkEveryResource } from './everyResource';
import { describeAdoptedSystem } from './harness';

const uuidOf = (i: number) => `md5('user${i}')`;

describeAdoptedSystem('adopting Chameleon (integer ids, credits + credits_trans)', '001_chameleon.sql', (system) => {
  it('recognises the credits, refund, affiliate and API-key capabilities, and says why bans are missing', () => {
    const { mapping, adoptOutput } = system();
    expect(mapping.capabilities.credits).toMatchObject({ enabled: true, resource: 'users', userKey: 'uuid', balance: { resource: 'credits', left: 'left_credits' }, ledger: { resource: 'credits_trans', amount: 'credits', type: 'trans_type' } });
    expect(mapping.capabilities.refund!.enabled).toBe(true);
    expect(mapping.capabilities.api_key_revoke!.enabled).toBe(true);
    expect(mapping.capabilities.ban).toMatchObject({ enabled: false, missing: ['users.banned'] });
    expect(mapping.resources.credits_trans!.references.user_uuid).toEqual({ resource: 'users', column: 'uuid' });
    expect(mapping.resources.ai_provider_keys!.masked).toEqual(['api_key']);
    expect(adoptOutput).toMatch(/10 tables/);
  });

  it('lists, filters, sorts, searches and pages every table with the right totals', async () => {
    const checked = await checkEveryResource(system());
    expect(checked.sort()).toEqual(['affiliates', 'ai_provider_keys', 'apikeys', 'credits', 'credits_trans', 'feedbacks', 'generations', 'orders', 'posts', 'users']);
  });

  it('takes an edit, refuses a stale one with 409, and audits the change in opsroom.audit_log', async () => {
    const s = system();
    const dp = s.session.dataProvider();
    const { data: user } = await dp.getOne('users', { id: 5 });
    const { data: saved } = await dp.update('users', { id: 5, data: { ...user, nickname: 'Renamed' }, previousData: user });
    expect(saved.nickname).toBe('Renamed');
    expect(saved._version).not.toBe(user._version);
    await expect(dp.update('users', { id: 5, data: { ...user, nickname: 'Lost update' }, previousData: user })).rejects.toMatchObject({ status: 409 });
    const [row] = await s.query<{ nickname: string }>(sql`select nickname from users where id = 5`);
    expect(row!.nickname).toBe('Renamed');
    const audit = await s.query<{ action: string; actor_email: string }>(sql`select action, actor_email from opsroom.audit_log where resource = 'users' and record_id = '5'`);
    expect(audit).toEqual([{ action: 'update', actor_email: 'ops@adopted.test' }]);
  });

  it('an edit made by the app itself makes the form stale too (xmin, not updated_at)', async () => {
    const s = system();
    const dp = s.session.dataProvider();
    const { data: user } = await dp.getOne('users', { id: 6 });
    await s.query(sql`update users set avatar_url = 'https://app.test/a.png' where id = 6`);
    await expect(dp.update('users', { id: 6, data: { ...user, nickname: 'Mine' }, previousData: user })).rejects.toMatchObject({ status: 409 });
  });

  it('grants credits: credits and credits_trans change together and the balance equals the ledger sum', async () => {
    const s = system();
    const res = await s.session.json('/api/users/7/credits', { method: 'POST', body: JSON.stringify({ amount: 250, reason: 'Support goodwill' }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 7, transaction: { trans_type: 'system_add', credits: 250 } });
    const take = await s.session.json('/api/users/7/credits', { method: 'POST', body: JSON.stringify({ amount: -100000, reason: 'too much' }) });
    expect(take.status).toBe(409);
    const [check] = await s.query<{ left: number; ledger: number }>(
      sql.raw(`select c.left_credits as left, (select sum(credits)::int from credits_trans t where t.user_uuid = ${uuidOf(7)}) as ledger from credits c where c.user_uuid = ${uuidOf(7)}`),
    );
    expect(check!.left).toBe(check!.ledger);
    expect(res.body.left_credits).toBe(check!.left);
    const audit = await s.query<{ action: string }>(sql`select action from opsroom.audit_log where resource = 'users' and record_id = '7'`);
    expect(audit.map((a) => a.action)).toEqual(['adjust_credits']);
  });

  it('a grant retried with the same Idempotency-Key is applied once', async () => {
    const s = system();
    const send = () => s.session.json('/api/users/8/credits', { method: 'POST', body: JSON.stringify({ amount: 5, reason: 'retry' }), headers: { 'idempotency-key': 'grant-8-a' } });
    const first = await send();
    const second = await send();
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    const [{ n }] = (await s.query<{ n: number }>(sql.raw(`select count(*)::int as n from credits_trans where user_uuid = ${uuidOf(8)} and trans_type = 'system_add'`)))  as [{ n: number }];
    expect(n).toBe(1);
  });

  it('refunds a paid order once, approves then pays a commission, revokes an API key', async () => {
    const s = system();
    const [paid] = await s.query<{ id: number }>(sql`select id from orders where status = 'paid' order by id limit 1`);
    expect((await s.session.json(`/api/orders/${paid!.id}/refund`, { method: 'POST' })).body.status).toBe('refunded');
    expect((await s.session.json(`/api/orders/${paid!.id}/refund`, { method: 'POST' })).status).toBe(409);
    const [pending] = await s.query<{ id: number }>(sql`select id from affiliates where status = 'pending' order by id limit 1`);
    expect((await s.session.json(`/api/affiliates/${pending!.id}/pay`, { method: 'POST' })).status).toBe(409);
    expect((await s.session.json(`/api/affiliates/${pending!.id}/approve`, { method: 'POST' })).body.status).toBe('approved');
    expect((await s.session.json(`/api/affiliates/${pending!.id}/pay`, { method: 'POST' })).body.status).toBe('paid');
    const [key] = await s.query<{ id: number }>(sql`select id from apikeys where status = 'active' order by id limit 1`);
    expect((await s.session.json(`/api/apikeys/${key!.id}/revoke`, { method: 'POST' })).body.status).toBe('revoked');
  });

  it('shows provider keys masked and never lets them be written or filtered', async () => {
    const s = system();
    const dp = s.session.dataProvider();
    const { data } = await dp.getList('ai_provider_keys', { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    expect(data.every((k) => /^••••.{4}$/.test(String(k.api_key)))).toBe(true);
    const filter = await s.session.json(`/api/ai_provider_keys?filter=${encodeURIComponent('{"api_key":"x"}')}`);
    expect(filter.status).toBe(400);
    const write = await s.session.json('/api/ai_provider_keys/1', { method: 'PUT', body: JSON.stringify({ api_key: 'sk-stolen' }) });
    expect(write.status).toBe(200);
    const [row] = await s.query<{ api_key: string }>(sql`select api_key from ai_provider_keys where id = 1`);
    expect(row!.api_key).not.toBe('sk-stolen');
  });

  it('keeps the ledger read-only in the generic views, and bad input is a 400 naming the field', async () => {
    const s = system();
    expect((await s.session.json('/api/credits_trans/1', { method: 'PUT', body: JSON.stringify({ credits: 1_000_000 }) })).status).toBe(405);
    const bad = await s.session.json('/api/users/9', { method: 'PUT', body: JSON.stringify({ nickname: 'x'.repeat(70_000) }) });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(['nickname']);
    const wrongType = await s.session.json('/api/users/9', { method: 'PUT', body: JSON.stringify({ is_affiliate: 'yes' }) });
    expect(wrongType.status).toBe(400);
    expect(Object.keys(wrongType.body.errors)).toEqual(['is_affiliate']);
  });
});
