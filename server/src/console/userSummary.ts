import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db/client';
import { NotFoundError } from '../usecases/domainErrors';

export interface UserSummary {
  id: number;
  balance: number;
  credits_granted: number;
  /** Paid orders, in minor units of `currency`, net of refunds (refunded orders count as 0). */
  lifetime_spend: number;
  refunded: number;
  currency: string;
  order_count: number;
  paid_order_count: number;
  /** The latest of the user's generations, ledger entries and orders; null if none. */
  last_active_at: string | null;
  created_at: string;
  active_api_keys: number;
  pending_commissions: number;
}

const iso = (v: unknown) => (v == null ? null : new Date(v as string).toISOString());

/** What an operator wants to know about a user at a glance, in one statement. */
export async function userSummary(deps: { db: Db }, _actor: unknown, input: { id: number }): Promise<UserSummary> {
  const [row] = await queryRows<Record<string, unknown>>(
    deps.db,
    sql`select u.id, u.created_at,
      coalesce(c.left_credits, 0) as balance, coalesce(c.total_credits, 0) as credits_granted,
      coalesce(o.spend, 0) as lifetime_spend, coalesce(o.refunded, 0) as refunded, coalesce(o.currency, 'usd') as currency,
      coalesce(o.orders, 0) as order_count, coalesce(o.paid, 0) as paid_order_count,
      greatest(
        (select max(created_at) from generations g where g.user_id = u.id),
        (select max(created_at) from credit_transactions t where t.user_id = u.id),
        o.last_order
      ) as last_active_at,
      (select count(*) from api_keys k where k.user_id = u.id and k.status = 'active') as active_api_keys,
      (select count(*) from affiliates a where a.user_id = u.id and a.status in ('pending', 'approved')) as pending_commissions
    from users u
    left join credits c on c.user_id = u.id
    left join lateral (
      select count(*) as orders,
        count(*) filter (where status = 'paid') as paid,
        sum(amount) filter (where status = 'paid') as spend,
        sum(amount) filter (where status = 'refunded') as refunded,
        max(currency) as currency,
        max(created_at) as last_order
      from orders where user_id = u.id
    ) o on true
    where u.id = ${input.id}`,
  );
  if (!row) throw new NotFoundError(`users ${input.id} does not exist.`);
  return {
    id: Number(row.id),
    balance: Number(row.balance),
    credits_granted: Number(row.credits_granted),
    lifetime_spend: Number(row.lifetime_spend),
    refunded: Number(row.refunded),
    currency: String(row.currency),
    order_count: Number(row.order_count),
    paid_order_count: Number(row.paid_order_count),
    last_active_at: iso(row.last_active_at),
    created_at: iso(row.created_at)!,
    active_api_keys: Number(row.active_api_keys),
    pending_commissions: Number(row.pending_commissions),
  };
}
