import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../db/client';

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

/** A half-open time range `[lo, hi)` whose rows are aggregated per UTC day. */
export interface TimeRange {
  lo: Date;
  hi: Date;
}

/** One UTC day's figures, as stored in stats_daily. Money in cents. */
export interface DayFigures {
  paidAmount: number;
  refundedAmount: number;
  signups: number;
  generations: number;
  creditsGranted: number;
  creditsSpent: number;
  generationsByStatus: Record<string, number>;
  generationsByProvider: Record<string, number>;
}

export const emptyFigures = (): DayFigures => ({
  paidAmount: 0,
  refundedAmount: 0,
  signups: 0,
  generations: 0,
  creditsGranted: 0,
  creditsSpent: 0,
  generationsByStatus: {},
  generationsByProvider: {},
});

const num = (v: unknown) => Number(v ?? 0);

/**
 * The size of the buckets rows are grouped into: UTC days (stats_daily, the response's series) or
 * UTC hours (stats_hourly). A bucket is named by its start: `2026-03-10` for a day,
 * `2026-03-10T14:00:00.000Z` (its `toISOString()`) for an hour.
 */
export type BucketUnit = 'day' | 'hour';

export const BUCKET_MS: Record<BucketUnit, number> = { day: 86_400_000, hour: 3_600_000 };

/** The name of the bucket holding instant `t`. */
export function bucketName(unit: BucketUnit, t: number): string {
  const start = new Date(Math.floor(t / BUCKET_MS[unit]) * BUCKET_MS[unit]).toISOString();
  return unit === 'day' ? start.slice(0, 10) : start;
}

/** The SQL that names the bucket of a timestamptz column, the same way as `bucketName`. */
export function bucketNameSql(unit: BucketUnit, column: string): SQL {
  const format = unit === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM-DD"T"HH24:00:00.000"Z"';
  return sql.raw(`to_char(date_trunc('${unit}', ${column} at time zone 'UTC'), '${format}')`);
}

/**
 * The statements that aggregate raw rows, one per source, each grouped by (range, bucket of
 * `unit`). Every figure is range-restricted on an indexed timestamp (orders.paid_at,
 * users.created_at, generations.created_at, credit_transactions.created_at; refunds through the
 * status index, as refunded orders are few), so the work grows with the ranges, not the table.
 * Each range is its own branch with literal bounds, so the planner sees how wide it is: an index
 * range scan for the few hours of today, a bitmap or sequential scan when filling months of days.
 *
 * - paid: amounts of orders paid in the bucket (paid or since refunded); revenue = paid − refunded
 * - refunded: amounts refunded in the bucket, by refunded_at
 * - signups: app users (role member) created in the bucket; operators are not signups
 * - credits_granted: positive ledger amounts; credits_spent: minus the ai_generation amounts
 */
export function sourceQueries(ranges: TimeRange[], unit: BucketUnit = 'day') {
  const within = (column: string, r: TimeRange) =>
    sql`${sql.raw(column)} >= ${r.lo.toISOString()}::timestamptz and ${sql.raw(column)} < ${r.hi.toISOString()}::timestamptz`;
  // A range inside one bucket (today, a window's edge, the live hour) gets its bucket as a constant:
  // no per-row to_char and no grouping whose size the planner cannot estimate (it guessed one group
  // per row and sorted today's 60k ledger rows on disk). Longer ranges (filling stored buckets) group.
  const size = BUCKET_MS[unit];
  const singleBucket = (r: TimeRange) => Math.floor(r.lo.getTime() / size) === Math.floor((r.hi.getTime() - 1) / size);
  const each = (branch: (r: TimeRange, i: SQL, day: (column: string) => SQL, group: (...more: string[]) => SQL) => SQL) =>
    sql.join(
      ranges.map((r, i) => {
        const label = singleBucket(r) ? sql`${bucketName(unit, r.lo.getTime())}::text` : undefined;
        const day = (column: string) => label ?? bucketNameSql(unit, column);
        const group = (...more: string[]) => {
          const keys = [...(label ? [] : ['2']), ...more];
          return keys.length ? sql.raw(`group by ${keys.join(', ')}`) : sql``;
        };
        return branch(r, sql.raw(`${i}::int`), day, group);
      }),
      sql` union all `,
    );

  return {
    orders: each(
      (r, i, day, group) => sql`
        (select ${i} as r, ${day('paid_at')} as d, sum(amount) as paid, 0 as refunded from orders
          where ${within('paid_at', r)} and status in ('paid', 'refunded') ${group()})
        union all
        (select ${i} as r, ${day('refunded_at')} as d, 0 as paid, sum(amount) as refunded from orders
          where status = 'refunded' and ${within('refunded_at', r)} ${group()})`,
    ),
    signups: each((r, i, day, group) => sql`(select ${i} as r, ${day('created_at')} as d, count(*) as n from users where ${within('created_at', r)} and role = 'member' ${group()})`),
    generations: each(
      (r, i, day, group) => sql`
        (select ${i} as r, ${day('created_at')} as d, status::text as status, provider::text as provider, count(*) as n from generations
          where ${within('created_at', r)} ${group('3', '4')})`,
    ),
    ledger: each(
      (r, i, day, group) => sql`
        (select ${i} as r, ${day('created_at')} as d,
          coalesce(sum(amount) filter (where amount > 0), 0) as granted,
          coalesce(-sum(amount) filter (where type = 'ai_generation'), 0) as spent
        from credit_transactions where ${within('created_at', r)} ${group()})`,
    ),
  };
}

/**
 * Runs the source statements over `ranges` (concurrently, on a pool) and returns the figures of
 * every (range index, bucket of `unit`) that has any row. Buckets without rows are absent.
 */
export async function figuresByRange(db: Db | Tx, ranges: TimeRange[], unit: BucketUnit = 'day'): Promise<Map<number, Map<string, DayFigures>>> {
  const out = new Map<number, Map<string, DayFigures>>();
  if (ranges.length === 0) return out;
  const q = sourceQueries(ranges, unit);
  const [orders, signups, generations, ledger] = await Promise.all([
    queryRows<{ r: number; d: string; paid: unknown; refunded: unknown }>(db, q.orders),
    queryRows<{ r: number; d: string; n: unknown }>(db, q.signups),
    queryRows<{ r: number; d: string; status: string; provider: string; n: unknown }>(db, q.generations),
    queryRows<{ r: number; d: string; granted: unknown; spent: unknown }>(db, q.ledger),
  ]);
  const at = (r: number, d: string) => {
    let days = out.get(Number(r));
    if (!days) out.set(Number(r), (days = new Map()));
    let f = days.get(d);
    if (!f) days.set(d, (f = emptyFigures()));
    return f;
  };
  for (const o of orders) {
    const f = at(o.r, o.d);
    f.paidAmount += num(o.paid);
    f.refundedAmount += num(o.refunded);
  }
  for (const s of signups) at(s.r, s.d).signups += num(s.n);
  for (const g of generations) {
    const f = at(g.r, g.d);
    const n = num(g.n);
    f.generations += n;
    f.generationsByStatus[g.status] = (f.generationsByStatus[g.status] ?? 0) + n;
    f.generationsByProvider[g.provider] = (f.generationsByProvider[g.provider] ?? 0) + n;
  }
  for (const l of ledger) {
    const f = at(l.r, l.d);
    f.creditsGranted += num(l.granted);
    f.creditsSpent += num(l.spent);
  }
  return out;
}
