import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { act, auditOf } from '../api/actions-helpers';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

describeEachEngine('revert from the audit log', (server) => {
  const newPost = async (session: Awaited<ReturnType<typeof signIn>>['session']) => {
    const { data } = await session.dataProvider().create('posts', { data: { title: 'First title', slug: `p-${randomUUID()}`, content: 'Body one' } });
    return data;
  };

  it('reverting an edit writes the before values back as a new audited write', async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const dp = session.dataProvider();
    const post = await newPost(session);
    await dp.update('posts', { id: post.id, data: { ...post, title: 'Second title', content: 'Body two' }, previousData: post });
    const [edit] = await auditOf(session, 'posts', post.id);
    expect(edit).toMatchObject({ action: 'update', before: { title: 'First title' }, after: { title: 'Second title' } });

    const res = await act(session, `/api/audit_log/${edit!.id}/revert`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: post.id, title: 'First title', content: 'Body one' });
    const { data: now } = await dp.getOne('posts', { id: post.id });
    expect(now).toMatchObject({ title: 'First title', content: 'Body one' });

    const [revert] = await auditOf(session, 'posts', post.id);
    expect(revert).toMatchObject({ action: 'revert', actor_id: creds.id, reverts_id: edit!.id, before: { title: 'Second title' }, after: { title: 'First title' } });
    // The edit's own row is untouched: history is added to, never rewritten.
    expect((await session.json(`/api/audit_log/${edit!.id}`)).body).toEqual(edit);
  });

  it('a record edited again since is not reverted (409) and nothing changes', async () => {
    const { session } = await signIn(server(), 'admin');
    const dp = session.dataProvider();
    const post = await newPost(session);
    const { data: v2 } = await dp.update('posts', { id: post.id, data: { ...post, title: 'Second title' }, previousData: post });
    const [first] = await auditOf(session, 'posts', post.id);
    await dp.update('posts', { id: post.id, data: { ...v2, content: 'Later edit' }, previousData: v2 });

    const res = await act(session, `/api/audit_log/${first!.id}/revert`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/changed again/);
    const { data: now } = await dp.getOne('posts', { id: post.id });
    expect(now).toMatchObject({ title: 'Second title', content: 'Later edit' });
    expect((await auditOf(session, 'posts', post.id)).map((a) => a.action)).toEqual(['update', 'update', 'create']);

    // Reverting twice: the first revert is itself the later change.
    const [latest] = await auditOf(session, 'posts', post.id);
    expect((await act(session, `/api/audit_log/${latest!.id}/revert`)).status).toBe(200);
    expect((await act(session, `/api/audit_log/${latest!.id}/revert`)).status).toBe(409);
  });

  it('domain actions are refused with the inverse action to use instead', async () => {
    const { session } = await signIn(server(), 'admin');
    const user = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `m-${randomUUID()}@example.com` }) });
    expect((await act(session, `/api/users/${user.body.id}/ban`, { reason: 'Spam' })).status).toBe(200);
    expect((await act(session, `/api/users/${user.body.id}/credits`, { amount: 50, reason: 'Goodwill' })).status).toBe(200);
    const [credits, ban, create] = await auditOf(session, 'users', user.body.id);
    const refusedBan = await act(session, `/api/audit_log/${ban!.id}/revert`);
    expect(refusedBan.status).toBe(409);
    expect(refusedBan.body.message).toMatch(/Unban/);
    const refusedCredits = await act(session, `/api/audit_log/${credits!.id}/revert`);
    expect(refusedCredits.status).toBe(409);
    expect(refusedCredits.body.message).toMatch(/opposite amount/);
    expect((await act(session, `/api/audit_log/${create!.id}/revert`)).status).toBe(409);
    expect((await session.json(`/api/users/${user.body.id}`)).body.banned).toBe(true);
  });

  it('support cannot revert an edit of a resource only admins may write; unknown ids are 404, bad ones 400', async () => {
    const admin = await signIn(server(), 'admin');
    const support = await signIn(server(), 'support');
    const post = await newPost(admin.session);
    await admin.session.dataProvider().update('posts', { id: post.id, data: { ...post, title: 'Edited' }, previousData: post });
    const [edit] = await auditOf(admin.session, 'posts', post.id);
    expect((await act(support.session, `/api/audit_log/${edit!.id}/revert`)).status).toBe(403);
    expect((await admin.session.json(`/api/posts/${post.id}`)).body.title).toBe('Edited');
    expect((await act(admin.session, `/api/audit_log/999999999/revert`)).status).toBe(404);
    expect((await act(admin.session, `/api/audit_log/abc/revert`)).status).toBe(400);
  });
});
