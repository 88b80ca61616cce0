import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { Session, signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { act, auditOf, rows } from './actions-helpers';

describeEachEngine('console endpoints: stuck generations, user summary and timeline, search, sign-in audit', (server) => {
  const newUser = async (session: Session) => {
    const res = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `member-${randomUUID()}@example.com` }) });
    return res.body as { id: number; email: string };
  };
  /** A generation charged `cost` credits through the ledger, as the app would have done. */
  const chargedGeneration = async (session: Session, userId: number, status: string, cost = 20) => {
    expect((await act(session, `/api/users/${userId}/credits`, { amount: cost, reason: 'Top-up' })).status).toBe(200);
    expect((await act(session, `/api/users/${userId}/credits`, { amount: -cost, reason: 'Generation charge' })).status).toBe(200);
    const genId = `gen_${randomUUID()}`;
    const [g] = await rows<{ id: number }>(
      server(),
      sql`insert into generations (gen_id, user_id, ai_type, provider, model, prompt, status, credits_cost, created_at)
          values (${genId}, ${userId}, 'video', 'fal', 'kling-2.1', 'a cat', ${status}, ${cost}, now() - interval '3 days') returning id`,
    );
    // A raw bigint comes back as a string from node-postgres and as a number from PGlite.
    return Number(g!.id);
  };
  const balanceOf = async (userId: number) => (await rows<{ left_credits: number }>(server(), sql`select left_credits from credits where user_id = ${userId}`))[0]?.left_credits ?? 0;

  it('marking a stuck generation failed refunds its credits, with a ledger entry and an audit row', async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const user = await newUser(session);
    const id = await chargedGeneration(session, user.id, 'processing', 20);
    expect(await balanceOf(user.id)).toBe(0);
    const res = await act(session, `/api/generations/${id}/fail`, { reason: 'Provider lost the job' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'failed', error: 'Provider lost the job', credits_refunded: 20 });
    expect(await balanceOf(user.id)).toBe(20);
    const [entry] = await rows(server(), sql`select type, amount, balance_after, actor_id from credit_transactions where user_id = ${user.id} order by id desc limit 1`);
    expect(entry).toEqual({ type: 'refund', amount: 20, balance_after: 20, actor_id: creds.id });
    const [audit] = await auditOf(session, 'generations', id);
    expect(audit).toMatchObject({ action: 'fail_refund', actor_id: creds.id, before: { status: 'processing' }, after: { status: 'failed', credits_refunded: 20 } });

    // Settled now: a second click must not refund twice.
    const again = await act(session, `/api/generations/${id}/fail`, { reason: 'Double click' });
    expect(again.status).toBe(409);
    expect(await balanceOf(user.id)).toBe(20);
  });

  it('the bulk version is all or nothing and names the generations that were already settled', async () => {
    const { session } = await signIn(server(), 'admin');
    const user = await newUser(session);
    const stuck = [await chargedGeneration(session, user.id, 'processing', 5), await chargedGeneration(session, user.id, 'pending', 7)];
    const done = await chargedGeneration(session, user.id, 'completed', 3);
    const refused = await act(session, '/api/generations/fail', { ids: [...stuck, done], reason: 'Cleanup' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(`${done} (completed)`);
    expect(await balanceOf(user.id)).toBe(0);

    const ok = await act(session, '/api/generations/fail', { ids: stuck, reason: 'Cleanup' });
    expect(ok.status).toBe(200);
    expect(ok.body.data.map((g: { credits_refunded: number }) => g.credits_refunded)).toEqual([5, 7]);
    expect(await balanceOf(user.id)).toBe(12);
  });

  it('bad input to the fail action is a 400 naming the field; support may not use it', async () => {
    const { session } = await signIn(server(), 'admin');
    for (const [body, field] of [
      [{ ids: [], reason: 'x' }, 'ids'],
      [{ ids: ['1'], reason: 'x' }, 'ids.0'],
      [{ ids: [1] }, 'reason'],
      [{ ids: [1], reason: 'x'.repeat(501) }, 'reason'],
    ] as const) {
      const res = await act(session, '/api/generations/fail', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body.errors)).toContain(field);
    }
    expect((await act(session, '/api/generations/999999999/fail', { reason: 'x' })).status).toBe(404);
    const support = await signIn(server(), 'support');
    expect((await act(support.session, '/api/generations/fail', { ids: [1], reason: 'x' })).status).toBe(403);
  });

  it('the user summary counts spend net of refunds, orders, balance and last activity', async () => {
    const { session } = await signIn(server(), 'admin');
    const user = await newUser(session);
    await rows(
      server(),
      sql`insert into orders (order_no, user_id, product_id, product_name, amount, status, credits, paid_at, created_at) values
        (${`S-${randomUUID()}`}, ${user.id}, 'p', 'Pro', 1900, 'paid', 0, now(), now() - interval '2 days'),
        (${`S-${randomUUID()}`}, ${user.id}, 'p', 'Pro', 900, 'refunded', 0, now(), now() - interval '5 days'),
        (${`S-${randomUUID()}`}, ${user.id}, 'p', 'Pro', 900, 'failed', 0, null, now() - interval '6 days')`,
    );
    await act(session, `/api/users/${user.id}/credits`, { amount: 42, reason: 'Welcome' });
    const res = await session.json(`/api/users/${user.id}/summary`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, balance: 42, lifetime_spend: 1900, refunded: 900, order_count: 3, paid_order_count: 1, currency: 'usd' });
    expect(Date.now() - new Date(res.body.last_active_at).getTime()).toBeLessThan(60_000);
    expect((await session.json('/api/users/999999999/summary')).status).toBe(404);
    expect((await session.json('/api/users/abc/summary')).status).toBe(400);
  });

  it("a user's timeline gathers audit rows from their own record and the records they own, newest first", async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const user = await newUser(session);
    const other = await newUser(session);
    await act(session, `/api/users/${user.id}/credits`, { amount: 30, reason: 'Goodwill after outage' });
    await act(session, `/api/users/${user.id}/ban`, { reason: 'Chargeback fraud' });
    const gen = await chargedGeneration(session, user.id, 'processing', 10);
    await act(session, `/api/generations/${gen}/fail`, { reason: 'Provider lost the job' });
    await act(session, `/api/users/${other.id}/credits`, { amount: 5, reason: 'Someone else' });

    const res = await session.json(`/api/users/${user.id}/timeline`);
    expect(res.status).toBe(200);
    const entries = res.body as { action: string; resource: string; amount: number | null; reason: string | null; actor_email: string }[];
    expect(entries.map((e) => e.action)).toEqual(['fail_refund', 'adjust_credits', 'adjust_credits', 'ban', 'adjust_credits', 'create']);
    expect(entries[0]).toMatchObject({ resource: 'generations', amount: 10, reason: 'Provider lost the job', actor_email: creds.email });
    expect(entries.find((e) => e.action === 'ban')).toMatchObject({ reason: 'Chargeback fraud' });
    expect(entries.find((e) => e.reason === 'Goodwill after outage')).toMatchObject({ amount: 30 });
    expect(entries.some((e) => e.reason === 'Someone else')).toBe(false);
    expect((await session.json(`/api/users/${user.id}/timeline?limit=0`)).status).toBe(400);
  });

  it('global search finds a user by email or id, an order by number and a key by prefix, exact first', async () => {
    const { session } = await signIn(server(), 'admin');
    const user = await newUser(session);
    const orderNo = `ORD-${randomUUID().slice(0, 8)}`;
    const [order] = await rows<{ id: number }>(server(), sql`insert into orders (order_no, user_id, product_id, product_name, amount) values (${orderNo}, ${user.id}, 'p', 'Pro', 100) returning id`);
    const key = await session.json('/api/api_keys', { method: 'POST', body: JSON.stringify({ name: 'Search test', user_id: user.id }) });
    const search = async (q: string) => (await session.json(`/api/search?q=${encodeURIComponent(q)}`)).body as { resource: string; id: number }[];

    expect((await search(user.email))[0]).toMatchObject({ resource: 'users', id: user.id });
    expect((await search(user.email.slice(0, 15))).some((h) => h.id === user.id && h.resource === 'users')).toBe(true);
    expect((await search(String(user.id)))[0]).toMatchObject({ resource: 'users', id: user.id });
    expect((await search(orderNo.toLowerCase()))[0]).toMatchObject({ resource: 'orders', id: order!.id });
    expect((await search(key.body.prefix))[0]).toMatchObject({ resource: 'api_keys', id: key.body.id });
    // LIKE wildcards are text, not patterns.
    expect(await search('%%')).toEqual([]);
    const bad = await session.json('/api/search?q=a');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toHaveProperty('q');
  });

  it('sign-ins and failed sign-ins land in the audit log, never with the password', async () => {
    const { creds } = await signIn(server(), 'support');
    const attacker = new Session(server().url);
    const wrong = `wrong-${randomUUID()}`;
    expect((await attacker.login(creds.email, wrong)).status).toBe(401);
    expect((await attacker.login(`nobody-${randomUUID()}@example.com`, wrong)).status).toBe(401);
    const found = await rows<{ action: string; actor_id: number | null; actor_email: string; record_id: string | null; after: unknown }>(
      server(),
      sql`select action, actor_id, actor_email, record_id, after from audit_log where resource = 'auth' and actor_email = ${creds.email} order by id`,
    );
    expect(found).toEqual([
      { action: 'sign_in', actor_id: creds.id, actor_email: creds.email, record_id: String(creds.id), after: null },
      { action: 'sign_in_failed', actor_id: null, actor_email: creds.email, record_id: String(creds.id), after: { reason: 'wrong_password' } },
    ]);
    const [unknown] = await rows(server(), sql`select after from audit_log where resource = 'auth' and actor_email like 'nobody-%' order by id desc limit 1`);
    expect(unknown).toEqual({ after: { reason: 'unknown_email' } });
    const all = await rows<{ t: string }>(server(), sql`select coalesce(after::text, '') as t from audit_log where resource = 'auth'`);
    expect(all.some((r) => r.t.includes(wrong))).toBe(false);
  });

  it('the user segments come with their sizes, counted once for every operator until the next recount', async () => {
    const { session } = await signIn(server(), 'admin');
    const big = await newUser(session);
    const small = await newUser(session);
    const idle = await newUser(session);
    const order = (userId: number, amount: number) =>
      rows(server(), sql`insert into orders (order_no, user_id, product_id, product_name, amount, status, paid_at) values (${`SEG-${randomUUID()}`}, ${userId}, 'p', 'Pro', ${amount}, 'paid', now())`);
    await order(big.id, 6_000);
    await order(big.id, 6_000);
    await order(small.id, 900);
    await rows(server(), sql`update users set created_at = now() - interval '90 days' where id = ${idle.id}`);
    const total = async (segment: string) =>
      Number((await session.json(`/api/users?filter=${encodeURIComponent(JSON.stringify({ segment }))}&range=[0,0]`)).headers.get('content-range')!.split('/')[1]);

    const { session: support } = await signIn(server(), 'support');
    const res = await support.json('/api/users/segments');
    expect(res.status).toBe(200);
    const counts = res.body as { segment: string; count: number; counted_at: string }[];
    expect(counts.map((c) => c.segment)).toEqual(['payers', 'big_spenders', 'inactive_30d']);
    for (const c of counts) expect(c.count, c.segment).toBe(await total(c.segment));
    expect(counts.find((c) => c.segment === 'big_spenders')!.count).toBeGreaterThanOrEqual(1);

    // A new big spender shows in the list at once and in the counts at the next recount, not per request.
    await order(small.id, 20_000);
    const again = (await session.json('/api/users/segments')).body as typeof counts;
    expect(again).toEqual(counts);
    expect(await total('big_spenders')).toBe(counts[1]!.count + 1);
  });

  it('the audit action list is what the log holds', async () => {
    const { session } = await signIn(server(), 'support');
    const res = await session.json('/api/audit_actions');
    expect(res.status).toBe(200);
    expect(res.body).toContain('sign_in');
    expect([...res.body].sort()).toEqual(res.body);
  });
});
