import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { dailyCheckIn, grantNewUserBonus, NEW_USER_BONUS_CREDITS } from '../../src/billing/creditRewards';
import { generations, users } from '../../src/db/schema';
import { awardFeats } from '../../src/gamification/feats';
import { SYSTEM_ACTOR } from '../../src/usecases/index';
import { act, auditOf, rows } from './actions-helpers';
import { createOperator, Session } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

const DAY = 86_400_000;

describeEachEngine('seed-parity use cases', (server) => {
  const deps = () => ({ db: server().ctx.database.db });
  const newUser = async (email: string, createdAt?: Date) => {
    const [u] = await deps().db.insert(users).values({ email, ...(createdAt ? { createdAt } : {}) }).returning({ id: users.id });
    return u!.id;
  };
  const ledgerSum = async (userId: number) =>
    (await rows<{ sum: number; left: number }>(server(), sql`select coalesce(sum(amount), 0)::int as sum, (select left_credits from credits where user_id = ${userId}) as left from credit_transactions where user_id = ${userId}`))[0]!;

  it('feats: a first image, a first video and a 7-day streak award their badges and XP once', async () => {
    // Someone joined long before, so this user is no early adopter.
    await newUser('pioneer@example.com', new Date(Date.now() - 100 * DAY));
    const userId = await newUser('brewer@example.com');
    const start = Date.now() - 10 * DAY;
    await deps().db.insert(generations).values(
      Array.from({ length: 7 }, (_, i) => ({ genId: `feat-${i}`, userId, aiType: 'image' as const, provider: 'openai', model: `m${i % 3}`, prompt: 'p', status: 'completed' as const, createdAt: new Date(start + i * DAY) })),
    );
    await deps().db.insert(generations).values([
      { genId: 'feat-video', userId, aiType: 'video', provider: 'kling', model: 'kling-2', prompt: 'p', status: 'completed', createdAt: new Date(start) },
      { genId: 'feat-failed', userId, aiType: 'video', provider: 'kling', model: 'kling-2', prompt: 'p', status: 'failed' },
    ]);

    const first = await awardFeats(deps(), SYSTEM_ACTOR, { userId });
    expect(first.awarded.map((b) => b.id).sort()).toEqual(['first_brew', 'illusionist', 'kindling']);
    expect(first.progress).toMatchObject({ generations: 8, videos: 1, imageModels: 3, longestStreakDays: 7, admin: false, founder: false });
    const again = await awardFeats(deps(), SYSTEM_ACTOR, { userId });
    expect(again.awarded).toEqual([]);

    const [xp] = await rows<{ total_xp: number; entries: number; sum: number }>(
      server(),
      sql`select total_xp, (select count(*)::int from xp_transactions where user_id = ${userId}) as entries, (select sum(amount)::int from xp_transactions where user_id = ${userId}) as sum from user_xp where user_id = ${userId}`,
    );
    expect(xp).toEqual({ total_xp: 10 + 25 + 50, entries: 3, sum: 85 });
  });

  it('feats: the first admin is the founder, and the console re-runs feats for one user (admin only, audited)', async () => {
    const admin = await createOperator(server(), 'admin');
    const support = await createOperator(server(), 'support');
    // Before every other user: the instance's first month, and its first admin.
    await deps().db.update(users).set({ createdAt: new Date(Date.now() - 400 * DAY) }).where(eq(users.id, admin.id));
    const session = new Session(server().url);
    await session.login(admin.email, admin.password);

    const res = await act(session, `/api/users/${admin.id}/feats`);
    expect(res.status).toBe(200);
    expect(res.body.awarded.map((b: { id: string }) => b.id).sort()).toEqual(['admin', 'early_adopter', 'founder']);
    expect((await auditOf(session, 'users', admin.id))[0]).toMatchObject({ action: 'award_feats', actor_id: admin.id, after: { awarded: expect.arrayContaining(['founder']) } });
    expect((await act(session, `/api/users/${admin.id}/feats`)).body.awarded).toEqual([]);
    expect((await act(session, '/api/users/999999/feats')).status).toBe(404);

    const supportSession = new Session(server().url);
    await supportSession.login(support.email, support.password);
    expect((await act(supportSession, `/api/users/${admin.id}/feats`)).status).toBe(403);
  });

  it('the new-user bonus is granted once, even when called concurrently, and the ledger matches the balance', async () => {
    const userId = await newUser('newbie@example.com');
    const results = await Promise.all(Array.from({ length: 5 }, () => grantNewUserBonus(deps(), SYSTEM_ACTOR, { userId })));
    expect(results.filter((r) => r.granted)).toHaveLength(1);
    expect(await grantNewUserBonus(deps(), SYSTEM_ACTOR, { userId })).toEqual({ granted: false });
    expect(await ledgerSum(userId)).toEqual({ sum: NEW_USER_BONUS_CREDITS, left: NEW_USER_BONUS_CREDITS });
    await expect(grantNewUserBonus(deps(), SYSTEM_ACTOR, { userId: 999_999 })).rejects.toThrow('users 999999 does not exist.');
  });

  it('the daily check-in gives one credit per UTC day', async () => {
    const userId = await newUser('pinger@example.com');
    const monday = new Date('2026-03-02T08:00:00Z');
    expect((await dailyCheckIn(deps(), SYSTEM_ACTOR, { userId, now: monday })).granted).toBe(true);
    expect((await dailyCheckIn(deps(), SYSTEM_ACTOR, { userId, now: new Date('2026-03-02T23:59:00Z') })).granted).toBe(false);
    const tuesday = await dailyCheckIn(deps(), SYSTEM_ACTOR, { userId, now: new Date('2026-03-03T00:01:00Z') });
    expect(tuesday).toMatchObject({ granted: true, balance: { left_credits: 2 } });
    const types = await rows<{ type: string; n: number }>(server(), sql`select type, count(*)::int as n from credit_transactions where user_id = ${userId} group by type`);
    expect(types).toEqual([{ type: 'ping', n: 2 }]);
  });

  it('POST /api/public/waitlist: no session, idempotent per email, 400 naming the field, shown in the console, rate-limited', async () => {
    const post = (body: unknown) =>
      fetch(`${server().url}/api/public/waitlist`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const first = await post({ email: 'Early.Bird@Example.com ', source: 'landing' });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, email: 'early.bird@example.com' });
    const repeat = await post({ email: 'early.bird@example.com' });
    expect(repeat.status).toBe(200);
    expect(await rows(server(), sql`select email, source from waitlist where email = 'early.bird@example.com'`)).toEqual([{ email: 'early.bird@example.com', source: 'landing' }]);

    const bad = await post({ email: 'not-an-email', source: 'x'.repeat(500) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Record<string, string> }).errors).toMatchObject({ email: expect.any(String), source: 'At most 100 characters' });

    const admin = await createOperator(server(), 'support');
    const session = new Session(server().url);
    await session.login(admin.email, admin.password);
    const { data } = await session.dataProvider().getList('waitlist', { pagination: { page: 1, perPage: 10 }, sort: { field: 'created_at', order: 'DESC' }, filter: { q: 'early.bird' } });
    expect(data.map((r) => r.email)).toEqual(['early.bird@example.com']);

    let status = 0;
    for (let i = 0; i < 20 && status !== 429; i++) status = (await post({ email: `flood${i}@example.com` })).status;
    expect(status).toBe(429);
  });
});
