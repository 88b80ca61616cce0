import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { act, auditOf, rows } from './actions-helpers';

describeEachEngine('credit adjustments', (server) => {
  const memberWithBalance = async (min = 0) => {
    const [u] = await rows<{ id: number; left_credits: number; total_credits: number }>(
      server(),
      sql`select u.id, c.left_credits, c.total_credits from users u join credits c on c.user_id = u.id
          where u.role = 'member' and c.left_credits >= ${min} order by random() limit 1`,
    );
    return u!;
  };
  const ledgerOf = (userId: number) => rows<{ id: number; amount: number; balance_after: number }>(server(), sql`select id, amount, balance_after from credit_transactions where user_id = ${userId} order by id`);

  it('granting credits adds a ledger entry and raises the balance in one step', async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const user = await memberWithBalance();
    const res = await act(session, `/api/users/${user.id}/credits`, { amount: 250, reason: 'Goodwill after outage' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, left_credits: user.left_credits + 250, total_credits: user.total_credits + 250 });
    expect(res.body.transaction).toMatchObject({ user_id: user.id, type: 'admin_adjust', amount: 250, balance_after: user.left_credits + 250, description: 'Goodwill after outage', actor_id: creds.id });
    expect(res.body.transaction).not.toHaveProperty('idempotency_key');
    const [balance] = await rows(server(), sql`select left_credits, total_credits from credits where user_id = ${user.id}`);
    expect(balance).toEqual({ left_credits: user.left_credits + 250, total_credits: user.total_credits + 250 });

    const [entry] = await auditOf(session, 'users', user.id);
    expect(entry).toMatchObject({ action: 'adjust_credits', actor_id: creds.id, actor_email: creds.email, record_id: String(user.id) });
    expect(entry!.before).toEqual({ id: user.id, left_credits: user.left_credits, total_credits: user.total_credits });
    expect(entry!.after).toMatchObject({ left_credits: user.left_credits + 250, transaction: { id: res.body.transaction.id } });
  });

  it('deducting credits lowers the balance but not the lifetime total', async () => {
    const { session } = await signIn(server(), 'admin');
    const user = await memberWithBalance(10);
    const res = await act(session, `/api/users/${user.id}/credits`, { amount: -10, reason: 'Duplicate grant' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ left_credits: user.left_credits - 10, total_credits: user.total_credits });
    expect(res.body.transaction).toMatchObject({ amount: -10, balance_after: user.left_credits - 10 });
  });

  it('a deduct that would leave a negative balance is refused and changes nothing', async () => {
    const { session } = await signIn(server(), 'admin');
    const user = await memberWithBalance();
    const before = await ledgerOf(user.id);
    const res = await act(session, `/api/users/${user.id}/credits`, { amount: -(user.left_credits + 1), reason: 'Too much' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/would leave a negative balance/);
    expect(await ledgerOf(user.id)).toEqual(before);
    const [balance] = await rows(server(), sql`select left_credits from credits where user_id = ${user.id}`);
    expect(balance!.left_credits).toBe(user.left_credits);
  });

  it('a user without a balance row gets one on their first grant', async () => {
    const { session } = await signIn(server(), 'admin');
    const created = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `fresh-${randomUUID()}@example.com` }) });
    expect(created.status).toBe(201);
    const refused = await act(session, `/api/users/${created.body.id}/credits`, { amount: -1, reason: 'Nothing to take' });
    expect(refused.status).toBe(409);
    const res = await act(session, `/api/users/${created.body.id}/credits`, { amount: 40, reason: 'Welcome' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ left_credits: 40, total_credits: 40, transaction: { balance_after: 40 } });
  });

  it('bad amounts and reasons are 400s naming the field', async () => {
    const { session } = await signIn(server(), 'admin');
    const user = await memberWithBalance();
    const cases: [unknown, string][] = [
      [{ amount: 0, reason: 'x' }, 'amount'],
      [{ amount: 1.5, reason: 'x' }, 'amount'],
      [{ amount: '10', reason: 'x' }, 'amount'],
      [{ amount: 1_000_001, reason: 'x' }, 'amount'],
      [{ amount: -1_000_001, reason: 'x' }, 'amount'],
      [{ amount: 5 }, 'reason'],
      [{ amount: 5, reason: '   ' }, 'reason'],
      [{ amount: 5, reason: 'x'.repeat(501) }, 'reason'],
    ];
    for (const [body, field] of cases) {
      const res = await act(session, `/api/users/${user.id}/credits`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors).toHaveProperty(field);
    }
    expect((await act(session, `/api/users/${user.id}/credits`, [1])).status).toBe(400);
  });

  it('unknown and malformed user ids are 404 and 400', async () => {
    const { session } = await signIn(server(), 'admin');
    expect((await act(session, '/api/users/99999999/credits', { amount: 5, reason: 'x' })).status).toBe(404);
    expect((await act(session, '/api/users/abc/credits', { amount: 5, reason: 'x' })).status).toBe(400);
    expect((await act(session, '/api/users/1e3/credits', { amount: 5, reason: 'x' })).status).toBe(400);
  });

  it('support operators may not adjust credits', async () => {
    const { session } = await signIn(server(), 'support');
    const user = await memberWithBalance();
    const res = await act(session, `/api/users/${user.id}/credits`, { amount: 5, reason: 'x' });
    expect(res.status).toBe(403);
    const [balance] = await rows(server(), sql`select left_credits from credits where user_id = ${user.id}`);
    expect(balance!.left_credits).toBe(user.left_credits);
  });

  it('a retry with the same Idempotency-Key returns the original result and applies once', async () => {
    const { session } = await signIn(server(), 'admin');
    const user = await memberWithBalance();
    const key = randomUUID();
    const first = await act(session, `/api/users/${user.id}/credits`, { amount: 75, reason: 'Retry me' }, { 'idempotency-key': key });
    const again = await act(session, `/api/users/${user.id}/credits`, { amount: 75, reason: 'Retry me' }, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const [balance] = await rows(server(), sql`select left_credits from credits where user_id = ${user.id}`);
    expect(balance!.left_credits).toBe(user.left_credits + 75);
    const [count] = await rows(server(), sql`select count(*)::int as n from credit_transactions where user_id = ${user.id} and description = 'Retry me'`);
    expect(count!.n).toBe(1);

    const misuse = await act(session, `/api/users/${user.id}/credits`, { amount: 80, reason: 'Retry me' }, { 'idempotency-key': key });
    expect(misuse.status).toBe(409);
    expect((await act(session, `/api/users/${user.id}/credits`, { amount: 5, reason: 'x' }, { 'idempotency-key': 'has space' })).status).toBe(400);
  });

  it('identical requests racing with one Idempotency-Key grant once and all see the same transaction', async () => {
    const { session } = await signIn(server(), 'admin');
    const user = await memberWithBalance();
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => act(session, `/api/users/${user.id}/credits`, { amount: 30, reason: 'Raced' }, { 'idempotency-key': key })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(new Set(results.map((r) => r.body.transaction.id)).size).toBe(1);
    const [balance] = await rows(server(), sql`select left_credits from credits where user_id = ${user.id}`);
    expect(balance!.left_credits).toBe(user.left_credits + 30);
  });

  it('the same Idempotency-Key from another operator is a separate grant', async () => {
    const a = await signIn(server(), 'admin');
    const b = await signIn(server(), 'admin');
    const user = await memberWithBalance();
    const key = randomUUID();
    const one = await act(a.session, `/api/users/${user.id}/credits`, { amount: 3, reason: 'Shared key' }, { 'idempotency-key': key });
    const two = await act(b.session, `/api/users/${user.id}/credits`, { amount: 3, reason: 'Shared key' }, { 'idempotency-key': key });
    expect(one.body.transaction.id).not.toBe(two.body.transaction.id);
    expect(two.body.left_credits).toBe(user.left_credits + 6);
  });
}, { demo: true });
