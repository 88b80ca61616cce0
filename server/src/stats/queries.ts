import { sql, type SQL } from 'drizzle-orm';

export interface StatsWindow {
  /** Inclusive start of the window. */
  from: Date;
  /** Exclusive end of the window. */
  to: Date;
  interval: 'day' | 'week';
  /** Start of the current UTC day, for the `today` figures. */
  todayStart: Date;
  now: Date;
}

/**
 * Every figure is range-restricted on an indexed timestamp (orders.paid_at, users.created_at,
 * generations.created_at, credit_transactions.created_at; refunds through the status index, as
 * refunded orders are few), so the work grows with the window, not the table.
 *
 * - revenue: amounts of orders paid in the bucket (paid or since refunded), minus amounts refunded in it
 * - refunds: amounts refunded in the bucket, by refunded_at
 * - signups: app users (role member) created in the bucket; operators are not signups
 * - credits_granted: positive ledger amounts; credits_spent: minus the ai_generation amounts
 */
export function dashboardQueries(w: StatsWindow) {
  const from = sql`${w.from.toISOString()}::timestamptz`;
  const to = sql`${w.to.toISOString()}::timestamptz`;
  // Whitelisted by the parser ('day' | 'week'), so it is safe to inline.
  const unit = sql.raw(`'${w.interval}'`);
  const step = sql.raw(`interval '1 ${w.interval}'`);
  const bucket = (column: string) => sql.raw(`date_trunc('${w.interval}', ${column} at time zone 'UTC')`);
  const within = (column: string, lo: SQL = from, hi: SQL = to) => sql`${sql.raw(column)} >= ${lo} and ${sql.raw(column)} < ${hi}`;

  const series = sql`
    with buckets as (
      select generate_series(date_trunc(${unit}, ${from} at time zone 'UTC'), (${to} - interval '1 millisecond') at time zone 'UTC', ${step}) as b
    ),
    paid as (
      select ${bucket('paid_at')} as b, sum(amount) as v from orders
      where ${within('paid_at')} and status in ('paid', 'refunded') group by 1
    ),
    refunded as (
      select ${bucket('refunded_at')} as b, sum(amount) as v from orders
      where status = 'refunded' and ${within('refunded_at')} group by 1
    ),
    signups as (
      select ${bucket('created_at')} as b, count(*) as v from users
      where ${within('created_at')} and role = 'member' group by 1
    ),
    gens as (
      select ${bucket('created_at')} as b, count(*) as v from generations
      where ${within('created_at')} group by 1
    ),
    ledger as (
      select ${bucket('created_at')} as b,
        sum(amount) filter (where amount > 0) as granted,
        -sum(amount) filter (where type = 'ai_generation') as spent
      from credit_transactions where ${within('created_at')} group by 1
    )
    select to_char(buckets.b, 'YYYY-MM-DD') as bucket,
      coalesce(paid.v, 0) - coalesce(refunded.v, 0) as revenue,
      coalesce(refunded.v, 0) as refunds,
      coalesce(signups.v, 0) as signups,
      coalesce(gens.v, 0) as generations,
      coalesce(ledger.granted, 0) as credits_granted,
      coalesce(ledger.spent, 0) as credits_spent
    from buckets
      left join paid on paid.b = buckets.b
      left join refunded on refunded.b = buckets.b
      left join signups on signups.b = buckets.b
      left join gens on gens.b = buckets.b
      left join ledger on ledger.b = buckets.b
    order by buckets.b`;

  const groupedGenerations = (column: 'status' | 'provider') =>
    sql`select ${sql.raw(column)}::text as ${sql.raw(column)}, count(*) as count from generations
        where ${within('created_at')} group by 1 order by count(*) desc, 1`;

  const dayFrom = sql`${w.todayStart.toISOString()}::timestamptz`;
  const dayTo = sql`${w.now.toISOString()}::timestamptz + interval '1 millisecond'`;
  const today = sql`
    select
      (select coalesce(sum(amount), 0) from orders where ${within('paid_at', dayFrom, dayTo)} and status in ('paid', 'refunded'))
        - (select coalesce(sum(amount), 0) from orders where status = 'refunded' and ${within('refunded_at', dayFrom, dayTo)}) as revenue,
      (select count(*) from users where ${within('created_at', dayFrom, dayTo)} and role = 'member') as signups,
      (select count(*) from generations where ${within('created_at', dayFrom, dayTo)}) as generations,
      (select coalesce(-sum(amount), 0) from credit_transactions where type = 'ai_generation' and ${within('created_at', dayFrom, dayTo)}) as credits_spent`;

  return { series, generationsByStatus: groupedGenerations('status'), generationsByProvider: groupedGenerations('provider'), today };
}
