import { getTableName, sql, type SQL } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import { MySqlDialect } from 'drizzle-orm/mysql-core';
import type { Total } from '../../resources/totals';
import type { AdoptedResource } from '../resources';
import { DEFAULT_SCHEMA } from './catalog';

const dialect = new MySqlDialect();

async function rows<T>(db: MySql2Database, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as [T[]])[0];
}

/** InnoDB's row estimate for the whole table (information_schema.tables.table_rows, kept by ANALYZE and InnoDB itself). */
async function tableEstimate(db: MySql2Database, r: AdoptedResource): Promise<number | undefined> {
  const schema = r.catalog.schema === DEFAULT_SCHEMA ? sql`database()` : sql`${r.catalog.schema}`;
  const [row] = await rows<{ n: number | string | null }>(db, sql`select table_rows as n from information_schema.tables where table_schema = ${schema} and table_name = ${getTableName(r.table)}`);
  return row?.n === null || row?.n === undefined ? undefined : Number(row.n);
}

/** The optimizer's row estimate for a filtered list: the largest `rows` of EXPLAIN's plan. */
async function explainEstimate(db: MySql2Database, r: AdoptedResource, where: SQL): Promise<number> {
  // EXPLAIN takes bind parameters on MySQL, but inlining keeps it one plain statement as on Postgres.
  const { sql: text } = dialect.sqlToQuery(sql`select 1 from ${r.table} where ${where}`.inlineParams());
  const plan = await rows<{ rows: number | string | null }>(db, sql.raw(`explain ${text}`));
  return Math.max(0, ...plan.map((p) => Number(p.rows ?? 0)));
}

/** Exact up to `limit` matches, an estimate past it: the rule of `resources/totals.ts` on MySQL's statistics. */
export async function countMysqlRows(db: MySql2Database, r: AdoptedResource, where: SQL | undefined, limit: number): Promise<Total> {
  if (!where && r.catalog.kind === 'table') {
    const n = await tableEstimate(db, r);
    if (n !== undefined && n > 2 * limit) return { total: n, kind: 'estimate' };
  }
  const [row] = await rows<{ n: number | string }>(
    db,
    sql`select count(*) as n from (select 1 from ${r.table}${where ? sql` where ${where}` : sql``} limit ${limit + 1}) as bounded`,
  );
  const n = Number(row?.n ?? 0);
  if (n <= limit) return { total: n, kind: 'exact' };
  const estimate = where ? await explainEstimate(db, r, where) : ((await tableEstimate(db, r)) ?? 0);
  return { total: Math.max(limit + 1, estimate), kind: 'estimate' };
}
