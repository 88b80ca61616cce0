import type pg from 'pg';

/** The ids and dates the fixed query set needs, read from the bench data once per run. */
export interface Fixtures {
  /** A heavy user (many ledger rows): the ledger an operator opens when something looks wrong. */
  ledgerUserId: number;
  ledgerRows: number;
  /** A user in the middle of the table, for getOne. */
  userId: number;
  /** The newest generation's time: date ranges end here so reruns on old data measure the same window. */
  latest: Date;
  searchFragment: string;
}

export interface OperatorQuery {
  id: string;
  label: string;
  path: string;
  /** List endpoints must answer with a Content-Range total. */
  list: boolean;
}

const DAY = 86_400_000;
const qs = (params: Record<string, unknown>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('&');

/** What ra-data-simple-rest sends for the console's everyday screens, 25 rows a page. */
export function operatorQueries(f: Fixtures): OperatorQuery[] {
  const page = [0, 24];
  const from = new Date(f.latest.getTime() - 30 * DAY).toISOString();
  const to = f.latest.toISOString();
  return [
    { id: 'users_recent', label: 'users, first page by created_at', list: true, path: `/api/users?${qs({ sort: ['created_at', 'DESC'], range: page, filter: {} })}` },
    { id: 'users_search', label: `users, search "${f.searchFragment}"`, list: true, path: `/api/users?${qs({ sort: ['created_at', 'DESC'], range: page, filter: { q: f.searchFragment } })}` },
    {
      id: 'user_ledger',
      label: `a user's ledger (getManyReference, ${f.ledgerRows} rows)`,
      list: true,
      path: `/api/credit_transactions?${qs({ sort: ['created_at', 'DESC'], range: page, filter: { user_id: f.ledgerUserId } })}`,
    },
    {
      id: 'generations_filtered',
      label: 'generations, status + provider + 30 days',
      list: true,
      path: `/api/generations?${qs({ sort: ['created_at', 'DESC'], range: page, filter: { status: 'completed', provider: 'replicate', created_at_gte: from, created_at_lte: to } })}`,
    },
    { id: 'orders_by_amount', label: 'orders, status paid by amount', list: true, path: `/api/orders?${qs({ sort: ['amount', 'DESC'], range: page, filter: { status: 'paid' } })}` },
    { id: 'get_one', label: 'getOne user', list: false, path: `/api/users/${f.userId}` },
    { id: 'stats_30d', label: 'dashboard stats, 30 days', list: false, path: `/api/stats?${qs({ from, to, interval: 'day' })}` },
  ];
}

export async function readFixtures(client: pg.Client | pg.Pool): Promise<Fixtures> {
  const one = async <T>(text: string) => (await client.query(text)).rows[0] as T;
  // A 1% block sample finds a heavy user without grouping millions of rows.
  const heavy = await one<{ user_id: number }>('SELECT user_id FROM generations TABLESAMPLE SYSTEM (1) REPEATABLE (42) GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1');
  const ledgerUserId = heavy?.user_id ?? 1;
  const { n } = await one<{ n: number }>(`SELECT count(*)::int AS n FROM credit_transactions WHERE user_id = ${Number(ledgerUserId)}`);
  const { id } = await one<{ id: number }>("SELECT (max(id) / 2)::int AS id FROM users WHERE role = 'member'");
  const { latest } = await one<{ latest: Date }>('SELECT coalesce(max(created_at), now()) AS latest FROM generations');
  // Part of a generated address (first.last<id>@…): what an operator pastes from a support email.
  return { ledgerUserId, ledgerRows: n, userId: id, latest, searchFragment: 'lovelace12' };
}
