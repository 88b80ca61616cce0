import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/testServer';
import { signIn } from '../support/operators';

describeEachEngine('ra-data-simple-rest against the API', (server) => {
  it('getList pages, sorts and totals users', async () => {
    const { session } = await signIn(server());
    const dp = session.dataProvider();
    const page = await dp.getList('users', { pagination: { page: 2, perPage: 10 }, sort: { field: 'email', order: 'ASC' }, filter: {} });
    expect(page.data).toHaveLength(10);
    expect(page.total).toBeGreaterThan(300);
    const emails = page.data.map((u) => u.email as string);
    expect([...emails].sort()).toEqual(emails);
    for (const u of page.data) {
      expect(u).toHaveProperty('id');
      expect(u).not.toHaveProperty('password_hash');
    }
  });

  it('getOne, getMany and getManyReference return records with ids', async () => {
    const { session } = await signIn(server());
    const dp = session.dataProvider();
    const { data: list } = await dp.getList('users', { pagination: { page: 1, perPage: 3 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    const one = await dp.getOne('users', { id: list[0]!.id });
    expect(one.data.email).toBe(list[0]!.email);
    const many = await dp.getMany('users', { ids: list.map((u) => u.id) });
    expect(many.data.map((u) => u.id).sort()).toEqual(list.map((u) => u.id).sort());
    const ledgerOwner = await dp.getList('credit_transactions', { pagination: { page: 1, perPage: 1 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
    const userId = ledgerOwner.data[0]!.user_id;
    const ref = await dp.getManyReference('credit_transactions', { target: 'user_id', id: userId, pagination: { page: 1, perPage: 50 }, sort: { field: 'created_at', order: 'DESC' }, filter: {} });
    expect(ref.total).toBeGreaterThan(0);
    expect(ref.data.every((t) => t.user_id === userId)).toBe(true);
  });

  it('create, update and delete a record, each audited', async () => {
    const { session, creds } = await signIn(server());
    const dp = session.dataProvider();
    const created = await dp.create('waitlist', { data: { email: 'New.Person@Example.com', source: 'test' } });
    expect(created.data.id).toBeDefined();
    expect(created.data.email).toBe('new.person@example.com');
    const post = await dp.create('posts', { data: { title: 'Hello', slug: 'hello-world', content: 'x' } });
    const updated = await dp.update('posts', { id: post.data.id, data: { ...post.data, title: 'Hello again' }, previousData: post.data });
    expect(updated.data.title).toBe('Hello again');
    const deleted = await dp.delete('waitlist', { id: created.data.id, previousData: created.data });
    expect(deleted.data.id).toBe(created.data.id);
    await expect(dp.getOne('waitlist', { id: created.data.id })).rejects.toMatchObject({ status: 404 });

    const audit = await dp.getList('audit_log', { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'DESC' }, filter: { actor_id: creds.id } });
    expect(audit.data.map((a) => `${a.action} ${a.resource}`)).toEqual(['delete waitlist', 'update posts', 'create posts', 'create waitlist', 'sign_in auth']);
    expect(audit.data[1]!.before).toMatchObject({ title: 'Hello' });
    expect(audit.data[1]!.after).toMatchObject({ title: 'Hello again' });
  });

  it('updateMany and deleteMany through the bulk endpoints', async () => {
    const { session } = await signIn(server());
    const dp = session.dataProvider();
    const ids: number[] = [];
    for (const n of [1, 2, 3]) ids.push((await dp.create('posts', { data: { title: `Bulk ${n}`, slug: `bulk-${n}` } })).data.id as number);
    const bulk = await session.json(`/api/posts?filter=${encodeURIComponent(JSON.stringify({ id: ids }))}`, { method: 'PUT', body: JSON.stringify({ status: 'published' }) });
    expect(bulk.status).toBe(200);
    expect(bulk.body.sort()).toEqual(ids.sort());
    const { data } = await dp.getMany('posts', { ids });
    expect(data.every((p) => p.status === 'published')).toBe(true);
    const del = await session.json(`/api/posts?filter=${encodeURIComponent(JSON.stringify({ id: ids }))}`, { method: 'DELETE' });
    expect(del.body.sort()).toEqual(ids.sort());
    expect((await dp.getMany('posts', { ids })).data).toEqual([]);
  });
}, { demo: true });

