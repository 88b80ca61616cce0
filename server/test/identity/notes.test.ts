import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { act, auditOf } from '../api/actions-helpers';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

describeEachEngine('notes on a user', (server) => {
  const newMember = async (session: Awaited<ReturnType<typeof signIn>>['session']) => {
    const res = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `member-${randomUUID()}@example.com` }) });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };

  it('support and admins leave dated, signed notes that the user timeline lists newest first', async () => {
    const admin = await signIn(server(), 'admin');
    const support = await signIn(server(), 'support');
    const userId = await newMember(admin.session);
    const t0 = Date.now();

    const first = await act(support.session, `/api/users/${userId}/notes`, { body: '  Called about a double charge.  ' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ user_id: userId, author_id: support.creds.id, author_email: support.creds.email, body: 'Called about a double charge.' });
    expect(new Date(first.body.created_at).getTime()).toBeGreaterThanOrEqual(t0 - 1000);
    const second = await act(admin.session, `/api/users/${userId}/notes`, { body: 'Refund approved by finance.' });
    expect(second.status).toBe(201);

    // The timeline reads them through the real ra-data-simple-rest client, as the console does.
    const { data, total } = await support.session.dataProvider().getManyReference('user_notes', {
      target: 'user_id',
      id: userId,
      pagination: { page: 1, perPage: 25 },
      sort: { field: 'created_at', order: 'DESC' },
      filter: {},
    });
    expect(total).toBe(2);
    expect(data.map((n) => [n.body, n.author_email])).toEqual([
      ['Refund approved by finance.', admin.creds.email],
      ['Called about a double charge.', support.creds.email],
    ]);

    const [audit] = await auditOf(admin.session, 'user_notes', first.body.id);
    expect(audit).toMatchObject({ action: 'create', actor_id: support.creds.id, after: { body: 'Called about a double charge.', user_id: userId } });
  });

  it('the author comes from the session, never from the body, and notes cannot be edited or deleted', async () => {
    const admin = await signIn(server(), 'admin');
    const userId = await newMember(admin.session);
    const forged = await act(admin.session, `/api/users/${userId}/notes`, { body: 'x', author_email: 'ceo@example.com' });
    expect(forged.status).toBe(400);
    expect(JSON.stringify(forged.body)).toContain('author_email');
    const note = await act(admin.session, `/api/users/${userId}/notes`, { body: 'Original' });
    expect((await admin.session.json(`/api/user_notes/${note.body.id}`, { method: 'PUT', body: JSON.stringify({ body: 'Rewritten' }) })).status).toBe(405);
    expect((await admin.session.json(`/api/user_notes/${note.body.id}`, { method: 'DELETE' })).status).toBe(405);
    expect((await admin.session.json(`/api/user_notes`, { method: 'POST', body: JSON.stringify({ user_id: userId, body: 'x' }) })).status).toBe(405);
    expect((await admin.session.json(`/api/user_notes/${note.body.id}`)).body.body).toBe('Original');
  });

  it('bad notes are 400s naming the field, an unknown user is a 404, and nothing is written', async () => {
    const { session } = await signIn(server(), 'support');
    const admin = await signIn(server(), 'admin');
    const userId = await newMember(admin.session);
    for (const body of ['', '   ', 'a'.repeat(70_000), 'nul\u0000byte', 'lone \ud800 surrogate', 42, null, { nested: true }]) {
      const res = await act(session, `/api/users/${userId}/notes`, { body });
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body.errors).toHaveProperty('body');
    }
    expect((await act(session, `/api/users/2147483000/notes`, { body: 'Hello' })).status).toBe(404);
    expect((await act(session, `/api/users/abc/notes`, { body: 'Hello' })).status).toBe(400);
    const { total } = await session.dataProvider().getList('user_notes', { pagination: { page: 1, perPage: 5 }, sort: { field: 'id', order: 'ASC' }, filter: { user_id: userId } });
    expect(total).toBe(0);
  });

  it('a member account cannot sign in to write notes', async () => {
    const { session } = await signIn(server(), 'member');
    expect((await act(session, `/api/users/1/notes`, { body: 'Hello' })).status).toBe(401);
  });
});
