import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { signIn, type Session } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { act, auditOf, rows } from './actions-helpers';

type AffiliateStatus = 'pending' | 'approved' | 'paid' | 'reversed';

describeEachEngine('refunds and affiliate commissions', (server) => {
  /**
   * A member who bought `credits` credits in a paid order (the purchase goes through the credits
   * action, so ledger and balance agree), optionally referred by an affiliate at 20%.
   */
  const paidOrder = async (session: Session, opts: { credits?: number; spend?: number; commission?: AffiliateStatus; status?: string } = {}) => {
    const credits = opts.credits ?? 100;
    const user = await session.json('/api/users', { method: 'POST', body: JSON.stringify({ email: `buyer-${randomUUID()}@example.com` }) });
    const userId = user.body.id as number;
    const status = opts.status ?? 'paid';
    const [order] = await rows<{ id: number }>(
      server(),
      sql`insert into orders (order_no, user_id, product_id, product_name, amount, status, credits, paid_at)
          values (${`T-${randomUUID()}`}, ${userId}, 'starter', 'Starter pack', 900, ${status}, ${credits}, ${status === 'paid' ? sql`now()` : null}) returning id`,
    );
    if (status === 'paid') expect((await act(session, `/api/users/${userId}/credits`, { amount: credits, reason: 'Order paid' })).status).toBe(200);
    if (opts.spend) expect((await act(session, `/api/users/${userId}/credits`, { amount: -opts.spend, reason: 'Generations' })).status).toBe(200);
    let affiliateId: number | undefined;
    if (opts.commission) {
      const [a] = await rows<{ id: number }>(
        server(),
        sql`insert into affiliates (user_id, order_id, order_amount, commission_amount, status) values (${userId}, ${order!.id}, 900, 180, ${opts.commission}) returning id`,
      );
      affiliateId = a!.id;
    }
    return { userId, orderId: order!.id, affiliateId };
  };
  const balanceOf = async (userId: number) => (await rows<{ left_credits: number }>(server(), sql`select left_credits from credits where user_id = ${userId}`))[0]!.left_credits;
  const affiliate = async (id: number) => (await rows(server(), sql`select status, commission_amount, approved_at, paid_at from affiliates where id = ${id}`))[0]!;
  const newCommission = async (session: Session, status: AffiliateStatus) => (await paidOrder(session, { commission: status })).affiliateId!;

  it('refunding a paid order reverses its credits and its unpaid commission', async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const { userId, orderId, affiliateId } = await paidOrder(session, { credits: 100, commission: 'approved' });
    const res = await act(session, `/api/orders/${orderId}/refund`, { reason: 'Customer asked within 14 days' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: orderId, status: 'refunded', credits_reversed: 100, warnings: [] });
    expect(new Date(res.body.refunded_at).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await balanceOf(userId)).toBe(0);
    const [entry] = await rows(server(), sql`select type, amount, balance_after, order_id, actor_id, description from credit_transactions where user_id = ${userId} order by id desc limit 1`);
    expect(entry).toEqual({ type: 'refund', amount: -100, balance_after: 0, order_id: orderId, actor_id: creds.id, description: 'Customer asked within 14 days' });
    expect(await affiliate(affiliateId!)).toMatchObject({ status: 'reversed', commission_amount: 0 });

    const [orderAudit] = await auditOf(session, 'orders', orderId);
    expect(orderAudit).toMatchObject({ action: 'refund', actor_id: creds.id, before: { status: 'paid' }, after: { status: 'refunded', credits_reversed: 100 } });
    const [commissionAudit] = await auditOf(session, 'affiliates', affiliateId!);
    expect(commissionAudit).toMatchObject({ action: 'reverse', before: { status: 'approved', commission_amount: 180 }, after: { status: 'reversed', commission_amount: 0 } });
  });

  it('refunding an order whose credits were partly spent is refused unless allow_partial, which reverses only what is left', async () => {
    const { session } = await signIn(server(), 'admin');
    const { userId, orderId } = await paidOrder(session, { credits: 100, spend: 70 });
    const refused = await act(session, `/api/orders/${orderId}/refund`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/negative balance.*only 30 left/);
    expect(await balanceOf(userId)).toBe(30);
    const [order] = await rows(server(), sql`select status, refunded_at from orders where id = ${orderId}`);
    expect(order).toEqual({ status: 'paid', refunded_at: null });

    const partial = await act(session, `/api/orders/${orderId}/refund`, { allow_partial: true });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({ status: 'refunded', credits_reversed: 30 });
    expect(partial.body.warnings.join(' ')).toMatch(/Only 30 of the 100 credits/);
    expect(await balanceOf(userId)).toBe(0);
    const [entry] = await rows(server(), sql`select amount, balance_after from credit_transactions where order_id = ${orderId}`);
    expect(entry).toEqual({ amount: -30, balance_after: 0 });
  });

  it('refunding an order whose commission was already paid out keeps it paid and warns', async () => {
    const { session } = await signIn(server(), 'admin');
    const { orderId, affiliateId } = await paidOrder(session, { commission: 'paid' });
    const res = await act(session, `/api/orders/${orderId}/refund`);
    expect(res.status).toBe(200);
    expect(res.body.warnings).toHaveLength(1);
    expect(res.body.warnings[0]).toMatch(/already paid out/);
    expect(await affiliate(affiliateId!)).toMatchObject({ status: 'paid', commission_amount: 180 });
  });

  it('only paid orders can be refunded', async () => {
    const { session } = await signIn(server(), 'admin');
    const pending = await paidOrder(session, { status: 'pending' });
    const res = await act(session, `/api/orders/${pending.orderId}/refund`);
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('Only paid orders can be refunded (this one is pending).');
    const paid = await paidOrder(session);
    expect((await act(session, `/api/orders/${paid.orderId}/refund`)).status).toBe(200);
    const again = await act(session, `/api/orders/${paid.orderId}/refund`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/this one is refunded/);
    const [n] = await rows(server(), sql`select count(*)::int as n from credit_transactions where order_id = ${paid.orderId}`);
    expect(n!.n).toBe(1);
    expect((await act(session, '/api/orders/99999999/refund')).status).toBe(404);
    expect((await act(session, `/api/orders/${paid.orderId}/refund`, { allow_partial: 'yes' })).status).toBe(400);
  });

  it('support operators may not refund orders or move commissions', async () => {
    const admin = await signIn(server(), 'admin');
    const { session } = await signIn(server(), 'support');
    const { orderId, affiliateId } = await paidOrder(admin.session, { commission: 'pending' });
    expect((await act(session, `/api/orders/${orderId}/refund`)).status).toBe(403);
    expect((await act(session, `/api/affiliates/${affiliateId}/approve`)).status).toBe(403);
    expect((await act(session, '/api/affiliates/approve', { ids: [affiliateId] })).status).toBe(403);
    const [order] = await rows(server(), sql`select status from orders where id = ${orderId}`);
    expect(order!.status).toBe('paid');
  });

  it('a commission is approved and then paid, each step stamped and audited', async () => {
    const { session, creds } = await signIn(server(), 'admin');
    const id = await newCommission(session, 'pending');
    const approved = await act(session, `/api/affiliates/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id, status: 'approved', paid_at: null });
    expect(approved.body.approved_at).not.toBeNull();
    const paid = await act(session, `/api/affiliates/${id}/pay`);
    expect(paid.body).toMatchObject({ id, status: 'paid' });
    expect(paid.body.paid_at).not.toBeNull();
    const [pay, approve] = await auditOf(session, 'affiliates', id);
    expect(approve).toMatchObject({ action: 'approve', actor_id: creds.id, before: { status: 'pending' }, after: { status: 'approved' } });
    expect(pay).toMatchObject({ action: 'pay', actor_id: creds.id, before: { status: 'approved' }, after: { status: 'paid' } });
  });

  it('paying an unapproved commission or approving one twice is refused', async () => {
    const { session } = await signIn(server(), 'admin');
    const id = await newCommission(session, 'pending');
    const pay = await act(session, `/api/affiliates/${id}/pay`);
    expect(pay.status).toBe(409);
    expect(pay.body.message).toBe('Only approved commissions can be paid (this one is pending).');
    expect(await affiliate(id)).toMatchObject({ status: 'pending', paid_at: null });
    expect((await act(session, `/api/affiliates/${id}/approve`)).status).toBe(200);
    expect((await act(session, `/api/affiliates/${id}/approve`)).status).toBe(409);
    expect((await act(session, '/api/affiliates/99999999/approve')).status).toBe(404);
    expect((await act(session, '/api/affiliates/nope/pay')).status).toBe(400);
  });

  it('bulk approval moves every listed commission and answers with their ids', async () => {
    const { session } = await signIn(server(), 'admin');
    const ids = [await newCommission(session, 'pending'), await newCommission(session, 'pending'), await newCommission(session, 'pending')];
    const res = await act(session, '/api/affiliates/approve', { ids });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: ids });
    for (const id of ids) expect((await affiliate(id)).status).toBe('approved');
    const paid = await act(session, '/api/affiliates/pay', { ids });
    expect(paid.body).toEqual({ data: ids });
    for (const id of ids) expect((await affiliate(id)).status).toBe('paid');
  });

  it('bulk payment is all or nothing and names the commissions in the wrong state', async () => {
    const { session } = await signIn(server(), 'admin');
    const approved = [await newCommission(session, 'approved'), await newCommission(session, 'approved')];
    const pending = await newCommission(session, 'pending');
    const reversed = await newCommission(session, 'reversed');
    const res = await act(session, '/api/affiliates/pay', { ids: [...approved, pending, reversed] });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain(`${pending} (pending)`);
    expect(res.body.message).toContain(`${reversed} (reversed)`);
    expect(res.body.message).not.toContain(`${approved[0]} (`);
    for (const id of approved) expect((await affiliate(id)).status).toBe('approved');

    const unknown = await act(session, '/api/affiliates/pay', { ids: [...approved, 99999999] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('99999999');
    for (const id of approved) expect((await affiliate(id)).status).toBe('approved');
  });

  it('bulk requests need 1 to 1000 whole-number ids', async () => {
    const { session } = await signIn(server(), 'admin');
    for (const body of [{}, { ids: [] }, { ids: ['1'] }, { ids: [1.5] }, { ids: Array.from({ length: 1001 }, (_, i) => i + 1) }]) {
      const res = await act(session, '/api/affiliates/approve', body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body.errors).toBeDefined();
    }
  });
}, { demo: true });
