import { expect, it, vi } from 'vitest';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { STALE_MESSAGE } from '../../src/resources/router';

describeEachEngine('optimistic concurrency', (server) => {
  it('a PUT carrying an older updated_at gets 409 and writes nothing', async () => {
    const { session } = await signIn(server());
    const { body: post } = await session.json('/api/posts', { method: 'POST', body: JSON.stringify({ title: 'Draft', slug: 'race' }) });
    const first = await session.json(`/api/posts/${post.id}`, { method: 'PUT', body: JSON.stringify({ ...post, title: 'Alice was here' }) });
    expect(first.status).toBe(200);
    const second = await session.json(`/api/posts/${post.id}`, { method: 'PUT', body: JSON.stringify({ ...post, title: 'Bob overwrites' }) });
    expect(second.status).toBe(409);
    expect(second.body.message).toBe(STALE_MESSAGE);
    const now = await session.json(`/api/posts/${post.id}`);
    expect(now.body.title).toBe('Alice was here');
    const retried = await session.json(`/api/posts/${post.id}`, { method: 'PUT', body: JSON.stringify({ ...now.body, title: 'Bob, after reloading' }) });
    expect(retried.status).toBe(200);
  });

  it('of many concurrent editors holding the same version exactly one wins', async () => {
    const { session } = await signIn(server());
    const { body: user } = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: 'contested@example.com', name: 'v0' }) });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => session.json(`/api/users/${user.id}`, { method: 'PUT', body: JSON.stringify({ ...user, name: `writer ${i}`, nickname: `nick ${i}` }) })),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(11);
    const final = (await session.json(`/api/users/${user.id}`)).body;
    const n = /writer (\d+)/.exec(final.name)![1];
    expect(final.nickname).toBe(`nick ${n}`);
  });

  it('two writes in the same millisecond still move the version, so the stale one gets 409', async () => {
    const { session } = await signIn(server());
    const { body: post } = await session.json('/api/posts', { method: 'POST', body: JSON.stringify({ title: 'Clock', slug: 'same-ms' }) });
    const { body: loaded } = await session.json(`/api/posts/${post.id}`, { method: 'PUT', body: JSON.stringify({ ...post, title: 'v1' }) });
    // The server runs in this process: freezing Date makes every following write land in one millisecond.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(loaded.updated_at) });
    try {
      const first = await session.json(`/api/posts/${post.id}`, { method: 'PUT', body: JSON.stringify({ ...loaded, title: 'Alice' }) });
      expect(first.status).toBe(200);
      expect(first.body.updated_at).not.toBe(loaded.updated_at);
      const second = await session.json(`/api/posts/${post.id}`, { method: 'PUT', body: JSON.stringify({ ...loaded, title: 'Bob' }) });
      expect(second.status).toBe(409);
    } finally {
      vi.useRealTimers();
    }
    expect((await session.json(`/api/posts/${post.id}`)).body.title).toBe('Alice');
  });
});
