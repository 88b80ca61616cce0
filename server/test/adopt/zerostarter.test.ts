import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { upsertAdoptedOperator } from '../../src/adopt/operators';
import { Session } from '../support/operators';
import { checkEveryResource } from './everyResource';
import { describeAdoptedSystem } from './harness';

describeAdoptedSystem("adopting ZeroStarter (Better Auth's text ids and camelCase columns)", '004_zerostarter.sql', (system) => {
  it("recognises Better Auth's ban columns and the sessions table to sign users out through", () => {
    const { mapping } = system();
    expect(mapping.capabilities.ban).toMatchObject({ enabled: true, resource: 'user', banned: 'banned', reasonColumn: 'banReason', expires: 'banExpires', sessions: { resource: 'session', user: 'userId' } });
    expect(mapping.capabilities.credits!.enabled).toBe(false);
    expect(mapping.resources.member!.references).toMatchObject({ userId: { resource: 'user', column: 'id' }, organizationId: { resource: 'organization', column: 'id' } });
    expect(mapping.resources.account!.hidden).toEqual(expect.arrayContaining(['accessToken', 'refreshToken', 'idToken', 'password']));
    expect(mapping.resources.session!.hidden).toContain('token');
    expect(mapping.resources.teamMember!.label).toBe('Team member');
  });

  it('lists, filters, sorts, searches and pages every table with the right totals', async () => {
    const checked = await checkEveryResource(system());
    expect(checked.sort()).toEqual(['account', 'invitation', 'member', 'organization', 'session', 'team', 'teamMember', 'user', 'verification', 'waitlist']);
  });

  it('never returns secrets: tokens and password hashes are not selected', async () => {
    const { data } = await system().session.dataProvider().getList('account', { pagination: { page: 1, perPage: 5 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    for (const row of data) for (const secret of ['accessToken', 'refreshToken', 'idToken', 'password']) expect(row).not.toHaveProperty(secret);
  });

  it('references by text id resolve through getMany (filter on id)', async () => {
    const dp = system().session.dataProvider();
    const { data: members } = await dp.getList('member', { pagination: { page: 1, perPage: 3 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    const { data: users } = await dp.getMany('user', { ids: members.map((m) => m.userId) });
    expect(users.map((u) => u.id).sort()).toEqual(members.map((m) => m.userId).sort());
  });

  it('bans with reason and expiry through banned/banReason/banExpires and signs the user out', async () => {
    const s = system();
    const [target] = await s.query<{ id: string }>(sql`select u.id from "user" u where exists (select 1 from "session" x where x."userId" = u.id) order by u.id limit 1`);
    const res = await s.session.json(`/api/user/${target!.id}/ban`, { method: 'POST', body: JSON.stringify({ reason: 'Chargeback fraud', expires_at: '2031-01-01T00:00:00Z' }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: target!.id, banned: true, banReason: 'Chargeback fraud' });
    const [row] = await s.query<{ banned: boolean; banReason: string; banExpires: Date; sessions: number }>(
      sql`select banned, "banReason", "banExpires", (select count(*)::int from "session" where "userId" = ${target!.id}) as sessions from "user" where id = ${target!.id}`,
    );
    expect(row).toMatchObject({ banned: true, banReason: 'Chargeback fraud', sessions: 0 });
    expect(new Date(row!.banExpires).getUTCFullYear()).toBe(2031);
    expect((await s.session.json(`/api/user/${target!.id}/ban`, { method: 'POST', body: JSON.stringify({ reason: 'again' }) })).status).toBe(409);
    const bad = await s.session.json(`/api/user/${target!.id}/unban`, { method: 'POST' });
    expect(bad.body).toMatchObject({ banned: false, banReason: null, banExpires: null });
    const past = await s.session.json(`/api/user/${target!.id}/ban`, { method: 'POST', body: JSON.stringify({ reason: 'x', expires_at: '2001-01-01' }) });
    expect(past.status).toBe(400);
    expect(Object.keys(past.body.errors)).toEqual(['expires_at']);
  });

  it('takes an edit on a text-keyed record and refuses a stale one with 409', async () => {
    const s = system();
    const dp = s.session.dataProvider();
    const { data: org } = await dp.getOne('organization', { id: 'org_3' });
    const { data: saved } = await dp.update('organization', { id: 'org_3', data: { ...org, name: 'Renamed Org' }, previousData: org });
    expect(saved).toMatchObject({ id: 'org_3', name: 'Renamed Org' });
    await expect(dp.update('organization', { id: 'org_3', data: { ...org, name: 'Stale' }, previousData: org })).rejects.toMatchObject({ status: 409 });
    const [row] = await s.query<{ name: string }>(sql`select name from "organization" where id = 'org_3'`);
    expect(row!.name).toBe('Renamed Org');
  });

  it('a support operator reads and bans but cannot edit', async () => {
    const s = system();
    // In process: a second process cannot open the PGlite folder the server holds.
    await upsertAdoptedOperator(s.server.ctx.database.db, { email: 'support@adopted.test', password: 'support-operator-password', role: 'support' });
    const support = new Session(s.server.url);
    expect((await support.login('support@adopted.test', 'support-operator-password')).status).toBe(200);
    expect((await support.json('/api/organization/org_4', { method: 'PUT', body: JSON.stringify({ name: 'x' }) })).status).toBe(403);
    const meta = await support.json('/api/_meta');
    expect(meta.body.operator).toEqual({ role: 'support', canWrite: false });
    expect(meta.body.resources.find((r: { name: string }) => r.name === 'user').actions.map((a: { action: string }) => a.action)).toEqual(['ban', 'unban']);
    // Operators live in opsroom.operators: the app's user table gained nobody.
    const [{ n }] = (await s.query<{ n: number }>(sql`select count(*)::int as n from "user" where email like '%@adopted.test'`)) as [{ n: number }];
    expect(n).toBe(0);
  });
});
