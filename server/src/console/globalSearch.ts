import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '../db/client';

export const searchInput = z.object({
  q: z.string({ error: 'Text to search for' }).trim().min(2, 'At least 2 characters').max(200, 'At most 200 characters').refine((s) => !s.includes('\u0000'), 'Invalid text'),
});

export interface SearchHit {
  resource: 'users' | 'orders' | 'api_keys';
  id: number;
  label: string;
  detail: string | null;
}

const PER_KIND = 5;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The console's one search box: a user by email (prefix) or id, an order by its number, an API key
 * by its prefix. Exact matches come first so Enter opens the record the operator pasted.
 */
export async function globalSearch(deps: { db: Db }, _actor: unknown, input: z.input<typeof searchInput>): Promise<SearchHit[]> {
  const { q } = searchInput.parse(input);
  const term = q.toLowerCase();
  const prefix = `${escapeLike(term)}%`;
  const contains = `%${escapeLike(term)}%`;
  const id = /^\d{1,9}$/.test(term) ? Number(term) : -1;
  const rows = await queryRows<SearchHit & { rank: number }>(
    deps.db,
    sql`(select 'users' as resource, id, email as label, name as detail, case when id = ${id} or lower(email) = ${term} then 0 else 1 end as rank
        from users where id = ${id} or email ilike ${prefix} order by rank, email limit ${PER_KIND})
      union all
      (select 'orders', id, order_no, product_name, case when lower(order_no) = ${term} then 0 else 1 end
        from orders where order_no ilike ${contains} order by 5, order_no limit ${PER_KIND})
      union all
      (select 'api_keys', id, prefix, name, case when lower(prefix) = ${term} then 0 else 1 end
        from api_keys where prefix ilike ${prefix} order by 5, prefix limit ${PER_KIND})`,
  );
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => Number(a.r.rank) - Number(b.r.rank) || a.i - b.i)
    .map(({ r }) => ({ resource: r.resource, id: Number(r.id), label: r.label, detail: r.detail ?? null }));
}
