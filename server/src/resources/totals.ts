import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { queryRows, type Db } from '../db/client';
import type { ResourceModel } from './model';

export interface Total {
  total: number;
  kind: 'exact' | 'estimate';
}

const dialect = new PgDialect();

/**
 * reltuples moves only when autovacuum or ANALYZE runs, minutes apart on a busy table, so a few
 * seconds' reuse changes no answer and spares the busiest request (a first page) a round trip.
 */
const ESTIMATE_REUSE_MS = 5_000;
const estimates = new WeakMap<Db, Map<string, { n: number | undefined; at: number }>>();

/** The row count the statistics hold for the whole table; undefined for a table never analysed (-1). */
async function tableEstimate(db: Db, model: ResourceModel): Promise<number | undefined> {
  let byTable = estimates.get(db);
  if (!byTable) estimates.set(db, (byTable = new Map()));
  const known = byTable.get(model.tableName);
  if (known && performance.now() - known.at < ESTIMATE_REUSE_MS) return known.n;
  const [row] = await queryRows<{ n: number }>(db, sql`select reltuples::float8 as n from pg_class where oid = quote_ident(${model.tableName})::regclass`);
  const n = row && row.n >= 0 ? Math.round(row.n) : undefined;
  byTable.set(model.tableName, { n, at: performance.now() });
  return n;
}

async function estimate(db: Db, model: ResourceModel, where: SQL | undefined): Promise<number> {
  if (!where) {
    const n = await tableEstimate(db, model);
    if (n !== undefined) return n;
  }
  const query = sql`select 1 from ${model.config.table}${where ? sql` where ${where}` : sql``}`;
  // EXPLAIN cannot take bind parameters, so inline them through the dialect's own escaping.
  const { sql: text } = dialect.sqlToQuery(query.inlineParams());
  const [plan] = await queryRows<{ 'QUERY PLAN': unknown }>(db, sql.raw(`explain (format json) ${text}`));
  const json = typeof plan?.['QUERY PLAN'] === 'string' ? JSON.parse(plan['QUERY PLAN'] as string) : plan?.['QUERY PLAN'];
  return Math.round((json as [{ Plan: { 'Plan Rows': number } }])[0].Plan['Plan Rows']);
}

/** The statement that counts at most `limit + 1` matches: reads no more index entries than that. */
export function boundedCount(model: ResourceModel, where: SQL | undefined, limit: number): SQL<number> {
  return sql<number>`(select count(*)::int from (select 1 from ${model.config.table}${where ? sql` where ${where}` : sql``} limit ${limit + 1}) as bounded)`.mapWith(Number);
}

/**
 * The total the table's statistics already give, without counting: an unfiltered list of a table
 * well past the count limit. Otherwise undefined, and the matches must be counted.
 */
export async function totalWithoutCounting(db: Db, model: ResourceModel, where: SQL | undefined, limit: number): Promise<Total | undefined> {
  if (where) return undefined;
  // Unfiltered, the statistics already say whether the table is past the threshold: on a big
  // one the bounded count would read `limit` index entries only to learn "more than limit",
  // the costliest part of the console's busiest request (a resource's first page). Only well
  // past it (twice), so a slightly stale statistic never turns an exact small total into a guess.
  const n = await tableEstimate(db, model);
  return n !== undefined && n > 2 * limit ? { total: n, kind: 'estimate' } : undefined;
}

/** The total from a bounded count's result: exact up to `limit`, the planner's estimate past it. */
export async function totalFromBoundedCount(db: Db, model: ResourceModel, where: SQL | undefined, limit: number, counted: number): Promise<Total> {
  if (counted <= limit) return { total: counted, kind: 'exact' };
  return { total: Math.max(limit + 1, await estimate(db, model, where)), kind: 'estimate' };
}

/**
 * Exact up to `limit` matches (a bounded count reads at most that many index entries). Past it,
 * counting every row of a multi-million row table costs more than the page itself, so the
 * planner's estimate is used instead.
 */
export async function countRows(db: Db, model: ResourceModel, where: SQL | undefined, limit: number): Promise<Total> {
  const known = await totalWithoutCounting(db, model, where, limit);
  if (known) return known;
  const [row] = await queryRows<{ n: number | string }>(db, sql`select ${boundedCount(model, where, limit)} as n`);
  return totalFromBoundedCount(db, model, where, limit, Number(row?.n ?? 0));
}
