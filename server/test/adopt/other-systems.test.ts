import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { checkEveryResource } from './everyResource';
import { describeAdoptedSystem } from './harness';

describeAdoptedSystem('adopting OpenCauldron (Auth.js text ids, composite keys, an enum, badges + XP)', '000_opencauldron.sql', (system) => {
  it('lists, filters, sorts, searches and pages every table with the right totals', async () => {
    const checked = await checkEveryResource(system());
    expect(checked).toHaveLength(13);
  });

  it('recognises badges with their XP, and shows the enum as choices', async () => {
    const s = system();
    expect(s.mapping.capabilities.badges).toMatchObject({ enabled: true, badges: { xp: 'xp_reward' }, awards: { resource: 'user_badges' }, xp: { resource: 'user_xp', total: 'total_xp' } });
    const meta = await s.session.json('/api/_meta');
    const generations = meta.body.resources.find((r: { name: string }) => r.name === 'generations');
    expect(generations.fields.find((f: { name: string }) => f.name === 'status').choices).toEqual(['pending', 'processing', 'completed', 'failed']);
    expect((await s.session.json(`/api/generations?filter=${encodeURIComponent('{"status":"bubbling"}')}`)).status).toBe(400);
  });

  it('awards a badge with its XP: user_badges, user_xp and xp_transactions together, once', async () => {
    const s = system();
    const res = await s.session.json('/api/users/u0007/badges', { method: 'POST', body: JSON.stringify({ badge_id: 'centaur' }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: 'u0007', xp_awarded: 200, total_xp: 250 });
    const [row] = await s.query<{ total: number; ledger: number; held: number }>(
      sql`select (select total_xp from user_xp where user_id = 'u0007') as total, (select sum(amount)::int from xp_transactions where user_id = 'u0007') as ledger, (select count(*)::int from user_badges where user_id = 'u0007') as held`,
    );
    expect(row).toEqual({ total: 250, ledger: 250, held: 2 });
    expect((await s.session.json('/api/users/u0007/badges', { method: 'POST', body: JSON.stringify({ badge_id: 'centaur' }) })).status).toBe(409);
    const unknown = await s.session.json('/api/users/u0007/badges', { method: 'POST', body: JSON.stringify({ badge_id: 'nope' }) });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.errors)).toEqual(['badge_id']);
  });

  it('opens and edits a record with a composite key, encoded as a JSON id', async () => {
    const dp = system().session.dataProvider();
    const { data } = await dp.getList('user_badges', { pagination: { page: 1, perPage: 1 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    const id = data[0]!.id as string;
    expect(JSON.parse(id)).toEqual([data[0]!.user_id, data[0]!.badge_id]);
    const { data: one } = await dp.getOne('user_badges', { id });
    const { data: saved } = await dp.update('user_badges', { id, data: { ...one, earned_at: '2026-06-01T00:00:00.000Z' }, previousData: one });
    expect(new Date(saved.earned_at).toISOString()).toBe('2026-06-01T00:00:00.000Z');
    await expect(dp.update('user_badges', { id, data: { ...one, earned_at: '2026-07-01T00:00:00.000Z' }, previousData: one })).rejects.toMatchObject({ status: 409 });
  });

  it('lists Auth.js sessions without their tokens and refuses to open or write them', async () => {
    const s = system();
    const { data, total } = await s.session.dataProvider().getList('sessions', { pagination: { page: 1, perPage: 5 }, sort: { field: 'userId', order: 'ASC' }, filter: {} });
    expect(total).toBe(120);
    for (const row of data) expect(row).not.toHaveProperty('sessionToken');
    expect((await s.session.json(`/api/sessions/${encodeURIComponent(String(data[0]!.id))}`)).status).toBe(404);
    expect((await s.session.json('/api/sessions', { method: 'POST', body: JSON.stringify({ userId: 'u0001' }) })).status).toBe(405);
  });
});

describeAdoptedSystem('adopting AI Studio (text ids, workspaces, composite member keys)', '002_aistudio.sql', (system) => {
  it('lists, filters, sorts, searches and pages every table with the right totals', async () => {
    const checked = await checkEveryResource(system());
    expect(checked.sort()).toEqual(['accounts', 'images', 'invitations', 'projects', 'sessions', 'users', 'workspace_members', 'workspaces']);
  });

  it('says which capabilities it cannot offer and why', () => {
    const { mapping } = system();
    expect(mapping.capabilities.credits).toMatchObject({ enabled: false });
    expect(mapping.capabilities.ban).toMatchObject({ enabled: false, missing: ['users.banned'] });
    expect(mapping.resources.accounts!.hidden).toEqual(expect.arrayContaining(['access_token', 'refresh_token', 'password']));
  });

  it('creates a record with a text id and audits it', async () => {
    const s = system();
    const { data } = await s.session.dataProvider().create('invitations', { data: { id: 'inv_new', workspace_id: 'ws_1', email: 'fresh@aistudio.test' } });
    expect(data).toMatchObject({ id: 'inv_new', status: 'pending' });
    const audit = await s.query<{ action: string }>(sql`select action from opsroom.audit_log where resource = 'invitations' and record_id = 'inv_new'`);
    expect(audit).toEqual([{ action: 'create' }]);
  });
});

describeAdoptedSystem('adopting the Workers + Neon starter (snake_case, jsonb, arrays, a view)', '003_workers_neon.sql', (system) => {
  it('lists, filters, sorts, searches and pages every table and the view with the right totals', async () => {
    const checked = await checkEveryResource(system());
    expect(checked.sort()).toEqual(['identity', 'member', 'organization', 'organization_sizes', 'session', 'user', 'verification']);
  });

  it('serves the view read-only, and jsonb and arrays as JSON', async () => {
    const s = system();
    expect(s.mapping.resources.organization_sizes).toMatchObject({ kind: 'view', readOnly: true, id: [] });
    expect((await s.session.json('/api/organization_sizes', { method: 'POST', body: JSON.stringify({ slug: 'x' }) })).status).toBe(405);
    const { data: org } = await s.session.dataProvider().getOne('organization', { id: 'org-2' });
    expect(org.metadata).toEqual({ plan: 'pro' });
    const { data: member } = await s.session.dataProvider().getList('member', { pagination: { page: 1, perPage: 1 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    expect(Array.isArray(member[0]!.tags)).toBe(true);
    const saved = await s.session.dataProvider().update('organization', { id: 'org-2', data: { ...org, metadata: { plan: 'team', seats: 5 } }, previousData: org });
    expect(saved.data.metadata).toEqual({ plan: 'team', seats: 5 });
  });
});
