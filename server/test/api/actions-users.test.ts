import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { levelFor } from '../../src/gamification/xp';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { act, auditOf, rows } from './actions-helpers';

describeEachEngine('user actions: bans and badges', (server) => {
  const newMember = async (session: Awaited<ReturnType<typeof signIn>>['session']) => {
    const res = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `member-${randomUUID()}@example.com` }) });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  const sessionsOf = async (userId: number) => (await rows<{ n: number }>(server(), sql`select count(*)::int as n from sessions where user_id = ${userId}`))[0]!.n;

  it('a support operator bans a member, which signs them out everywhere, and unbans them', async () => {
    const admin = await signIn(server(), 'admin');
    const { session, creds } = await signIn(server(), 'support');
    const id = await newMember(admin.session);
    for (const token of [randomUUID(), randomUUID()]) {
      await rows(server(), sql`insert into sessions (token, user_id, expires_at) values (${token}, ${id}, now() + interval '1 day')`);
    }
    expect(await sessionsOf(id)).toBe(2);
    const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();

    const banned = await act(session, `/api/users/${id}/ban`, { reason: 'Chargeback fraud', expires_at: expires });
    expect(banned.status).toBe(200);
    expect(banned.body).toMatchObject({ id, banned: true, ban_reason: 'Chargeback fraud', ban_expires: expires });
    expect(banned.body).not.toHaveProperty('password_hash');
    expect(await sessionsOf(id)).toBe(0);

    const unbanned = await act(session, `/api/users/${id}/unban`);
    expect(unbanned.status).toBe(200);
    expect(unbanned.body).toMatchObject({ id, banned: false, ban_reason: null, ban_expires: null });

    const [unban, ban] = await auditOf(session, 'users', id);
    expect(ban).toMatchObject({ action: 'ban', actor_id: creds.id, before: { banned: false }, after: { banned: true, ban_reason: 'Chargeback fraud' } });
    expect(unban).toMatchObject({ action: 'unban', actor_id: creds.id, before: { banned: true }, after: { banned: false } });
    expect(ban!.after).not.toHaveProperty('password_hash');
  });

  it('a ban without an end date is permanent', async () => {
    const { session } = await signIn(server(), 'admin');
    const id = await newMember(session);
    const res = await act(session, `/api/users/${id}/ban`, { reason: 'Abusive prompts' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ banned: true, ban_expires: null });
  });

  it('banning twice, unbanning someone not banned, and bad ban input are refused', async () => {
    const { session } = await signIn(server(), 'support');
    const admin = await signIn(server(), 'admin');
    const id = await newMember(admin.session);
    expect((await act(session, `/api/users/${id}/unban`)).status).toBe(409);
    const past = await act(session, `/api/users/${id}/ban`, { reason: 'x', expires_at: '2001-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body.errors).toHaveProperty('expires_at');
    const garbage = await act(session, `/api/users/${id}/ban`, { reason: 'x', expires_at: 'next tuesday' });
    expect(garbage.body.errors).toHaveProperty('expires_at');
    expect((await act(session, `/api/users/${id}/ban`, { reason: '' })).body.errors).toHaveProperty('reason');
    expect((await act(session, `/api/users/${id}/ban`, { reason: 'First' })).status).toBe(200);
    const twice = await act(session, `/api/users/${id}/ban`, { reason: 'Second' });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already banned/);
    expect((await act(session, '/api/users/99999999/ban', { reason: 'x' })).status).toBe(404);
    expect((await act(session, '/api/users/x1/ban', { reason: 'x' })).status).toBe(400);
  });

  it('operators cannot ban themselves or another operator', async () => {
    const { session, creds } = await signIn(server(), 'support');
    const admin = await signIn(server(), 'admin');
    const self = await act(session, `/api/users/${creds.id}/ban`, { reason: 'oops' });
    expect(self.status).toBe(409);
    expect(self.body.message).toMatch(/yourself/);
    const other = await act(session, `/api/users/${admin.creds.id}/ban`, { reason: 'coup' });
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/operator/);
    // The refused admin can still work.
    expect((await admin.session.json('/api/users?range=[0,0]')).status).toBe(200);
  });

  it('awarding a badge adds the XP and moves the level', async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const id = await newMember(session);
    const first = await act(session, `/api/users/${id}/badges`, { badge_id: 'centaur' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ user_id: id, badge_id: 'centaur', awarded_by: creds.id });
    const xpNow = async () => (await rows(server(), sql`select total_xp, level from user_xp where user_id = ${id}`))[0];
    expect(await xpNow()).toEqual({ total_xp: 100, level: 2 });
    const second = await act(session, `/api/users/${id}/badges`, { badge_id: 'hydra' });
    expect(second.status).toBe(200);
    expect(await xpNow()).toEqual({ total_xp: 600, level: 4 });
    expect(levelFor(600)).toBe(4);

    const xp = await rows(server(), sql`select amount, source, reference_id from xp_transactions where user_id = ${id} order by id`);
    expect(xp).toEqual([
      { amount: 100, source: 'badge_reward', reference_id: 'centaur' },
      { amount: 500, source: 'badge_reward', reference_id: 'hydra' },
    ]);

    const [entry] = await auditOf(session, 'user_badges', second.body.id);
    expect(entry).toMatchObject({ action: 'award', actor_id: creds.id, after: { badge_id: 'hydra', user_id: id } });
  });

  it('awarding a badge adds to XP the user already has', async () => {
    const { session } = await signIn(server(), 'admin');
    const [user] = await rows<{ user_id: number; total_xp: number }>(
      server(),
      sql`select x.user_id, x.total_xp from user_xp x where not exists (select 1 from user_badges b where b.user_id = x.user_id and b.badge_id = 'kindling') limit 1`,
    );
    const res = await act(session, `/api/users/${user!.user_id}/badges`, { badge_id: 'kindling' });
    expect(res.status).toBe(200);
    const [after] = await rows(server(), sql`select total_xp, level from user_xp where user_id = ${user!.user_id}`);
    expect(after).toEqual({ total_xp: user!.total_xp + 50, level: levelFor(user!.total_xp + 50) });
  });

  it('a badge cannot be awarded twice, and unknown badges or users are refused', async () => {
    const { session } = await signIn(server(), 'admin');
    const id = await newMember(session);
    expect((await act(session, `/api/users/${id}/badges`, { badge_id: 'ranger' })).status).toBe(200);
    const again = await act(session, `/api/users/${id}/badges`, { badge_id: 'ranger' });
    expect(again.status).toBe(409);
    const [xp] = await rows(server(), sql`select total_xp from user_xp where user_id = ${id}`);
    expect(xp!.total_xp).toBe(75);
    const unknown = await act(session, `/api/users/${id}/badges`, { badge_id: 'no_such_badge' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toHaveProperty('badge_id');
    expect((await act(session, `/api/users/${id}/badges`, {})).status).toBe(400);
    expect((await act(session, '/api/users/99999999/badges', { badge_id: 'ranger' })).status).toBe(404);
  });

  it('support operators may not award badges', async () => {
    const { session } = await signIn(server(), 'support');
    const admin = await signIn(server(), 'admin');
    const id = await newMember(admin.session);
    expect((await act(session, `/api/users/${id}/badges`, { badge_id: 'ranger' })).status).toBe(403);
    expect(await rows(server(), sql`select 1 from user_badges where user_id = ${id}`)).toEqual([]);
  });
}, { demo: true });
