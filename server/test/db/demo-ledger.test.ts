import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { describeEachEngine } from '../support/testServer';

// The demo dataset is what operators first see: its books must balance like real ones would.
describeEachEngine(
  'the demo data',
  (server) => {
    const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(server().ctx.database.db, query);

    it('has users with balances, orders and ledgers to look at', async () => {
      const [counts] = await rows<{ members: number; orders: number; entries: number }>(sql`
        select (select count(*)::int from credits) as members, (select count(*)::int from orders) as orders,
               (select count(*)::int from credit_transactions) as entries`);
      expect(counts!.members).toBe(300);
      expect(counts!.orders).toBeGreaterThan(100);
      expect(counts!.entries).toBeGreaterThan(counts!.members);
    });

    it("every user's ledger sums to their balance, and total credits to the sum of grants", async () => {
      // Operator accounts have neither a balance nor a ledger; anyone with one must have the other.
      const mismatched = await rows(sql`
        select coalesce(c.user_id, l.user_id) as user_id, c.left_credits, c.total_credits, l.sum, l.granted
        from credits c
        full join (select user_id, sum(amount)::int as sum, coalesce(sum(amount) filter (where amount > 0), 0)::int as granted
                   from credit_transactions group by user_id) l on l.user_id = c.user_id
        where c.user_id is null or l.user_id is null or c.left_credits <> l.sum or c.total_credits <> l.granted`);
      expect(mismatched).toEqual([]);
    });

    it('nothing in the books is dated in the future', async () => {
      const [future] = await rows<{ n: number }>(sql`
        select (select count(*) from credit_transactions where created_at > now())
             + (select count(*) from orders where paid_at > now() or refunded_at > now())
             + (select count(*) from generations where created_at > now() or completed_at > now()) as n`);
      expect(Number(future!.n)).toBe(0);
    });

    it('no ledger entry leaves a negative balance, and each balance_after is the running sum in time order', async () => {
      const wrong = await rows(sql`
        select id, user_id, balance_after, running from (
          select id, user_id, balance_after,
                 sum(amount) over (partition by user_id order by created_at, id)::int as running
          from credit_transactions) t
        where balance_after < 0 or running < 0 or balance_after is distinct from running
        limit 5`);
      expect(wrong).toEqual([]);
    });

    it("paid orders credit the buyer once, refunded ones are reversed, unpaid ones never touch the ledger", async () => {
      const wrong = await rows(sql`
        select o.id, o.status, o.credits,
               coalesce(sum(t.amount) filter (where t.type = 'order_pay'), 0)::int as paid,
               coalesce(sum(t.amount) filter (where t.type = 'refund'), 0)::int as refunded,
               count(t.id)::int as entries,
               bool_and(t.user_id = o.user_id) as same_user
        from orders o left join credit_transactions t on t.order_id = o.id
        group by o.id
        having not case o.status
          when 'paid' then count(t.id) = 1 and sum(t.amount) = o.credits and bool_and(t.type = 'order_pay')
          when 'refunded' then count(t.id) = 2 and sum(t.amount) filter (where t.type = 'order_pay') = o.credits
                              and sum(t.amount) filter (where t.type = 'refund') = -o.credits
          else count(t.id) = 0
        end or not coalesce(bool_and(t.user_id = o.user_id), true)`);
      expect(wrong).toEqual([]);
    });

    it('each charged generation is one ledger debit of its credit cost', async () => {
      const wrong = await rows(sql`
        select g.gen_id, g.credits_cost, t.amount
        from generations g
        left join credit_transactions t on t.generation_id = g.gen_id and t.type = 'ai_generation'
        where (g.credits_cost > 0 and (t.amount is null or t.amount <> -g.credits_cost or t.user_id <> g.user_id))
           or (g.credits_cost = 0 and t.id is not null)
        limit 5`);
      expect(wrong).toEqual([]);
    });
  },
  { demo: true },
);
