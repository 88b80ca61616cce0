import pg from 'pg';
import { Progress, step } from './progress';
import type { Sizes } from './sizes';

/**
 * Fills a freshly migrated database with a busy AI app's data, set-based and server-side: each chunk
 * of users is one INSERT … SELECT generate_series statement whose data-modifying CTEs also write
 * those users' orders, generations, ledger and balances. Nothing crosses the wire but the SQL, and
 * every user's ledger is built in the same statement as its balance, so balances = ledger sums by
 * construction (checked at the end).
 */

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Guido', 'Frances', 'Tim', 'Hedy', 'Donald', 'Katherine', 'Edsger', 'Shafi', 'John', 'Sophie', 'Yukihiro', 'Anita', 'Bjarne', 'Carol', 'Leslie'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Perlman', 'vanRossum', 'Allen', 'BernersLee', 'Lamarr', 'Knuth', 'Johnson', 'Dijkstra', 'Goldwasser', 'McCarthy', 'Wilson', 'Matsumoto', 'Borg', 'Stroustrup', 'Shaw', 'Lamport'];
const DOMAINS = ['gmail.com', 'outlook.com', 'example.com', 'proton.me', 'icloud.com', 'studio.test', 'acme.test', 'yahoo.com'];
// Repeats weight the draw: most generations are cheap images and text, a few are video.
const MODELS = [
  ['openai', 'gpt-4o', 'text', 1],
  ['openai', 'gpt-4o', 'text', 1],
  ['openai', 'gpt-image-1', 'image', 4],
  ['openai', 'gpt-image-1', 'image', 4],
  ['replicate', 'flux-1.1-pro', 'image', 5],
  ['replicate', 'flux-1.1-pro', 'image', 5],
  ['replicate', 'sdxl', 'image', 2],
  ['anthropic', 'claude-sonnet-4', 'text', 1],
  ['fal', 'kling-2.1', 'video', 20],
  ['replicate', 'minimax-video-01', 'video', 25],
] as const;
const PRODUCTS = [
  ['starter', 'Starter pack', 900, 100, 'one_time'],
  ['starter', 'Starter pack', 900, 100, 'one_time'],
  ['pro-month', 'Pro monthly', 2900, 500, 'month'],
  ['pro-month', 'Pro monthly', 2900, 500, 'month'],
  ['pro-year', 'Pro yearly', 29000, 6000, 'year'],
  ['studio', 'Studio pack', 9900, 2000, 'one_time'],
  ['topup-s', 'Top-up 50', 500, 50, 'one_time'],
  ['topup-l', 'Top-up 1000', 6900, 1000, 'one_time'],
] as const;
const PROMPTS = ['a lighthouse at dusk, oil painting', 'product shot of a ceramic mug on linen', 'summarise this support ticket in two lines', 'logo for a coffee roaster, flat, two colours', 'a fox in a snowy forest, cinematic lighting', 'write a launch tweet for a budgeting app', 'isometric city block at night, neon', 'portrait in the style of a 1970s film still', 'translate this paragraph into Japanese', 'a drone shot over rice terraces at sunrise'];

const lit = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);
const arr = (values: readonly (string | number)[], type: string) => `(ARRAY[${values.map(lit).join(',')}]::${type}[])`;
const col = <T extends readonly unknown[]>(rows: readonly T[], i: number) => rows.map((r) => r[i] as string | number);

// Statement parameters: $1 first user id, $2 last user id, $3 generations, $4 orders, $5 ledger
// entries in this chunk, $6 start of history, $7 now, $8 ms between sign-ups, $9 order number base.
const N = '($2 - $1 + 1)';
/** A user's sign-up time, a pure function of its id so other rows can use it without a join. */
const signup = (id: string) => `($6::timestamptz + (((${id}) - 1)::float8 * $8::float8 + ((${id})::bigint * 7919 % 60000)) * interval '1 millisecond')`;
const first = (id: string) => `${arr(FIRST, 'text')}[1 + (${id}) % ${FIRST.length}]`;
const last = (id: string) => `${arr(LAST, 'text')}[1 + ((${id}) / ${FIRST.length}) % ${LAST.length}]`;
const domain = (id: string) => `${arr(DOMAINS, 'text')}[1 + ((${id}) / ${FIRST.length * LAST.length}) % ${DOMAINS.length}]`;
const email = (id: string) => `lower(${first(id)} || '.' || ${last(id)} || (${id}) || '@' || ${domain(id)})`;
/** A time between `from` and now, uniformly; `r` is a random() drawn once per row. */
const between = (from: string, r: string) => `(${from} + ${r} * ($7::timestamptz - ${from}))`;

const CHUNK_SQL = `
WITH new_users AS (
  INSERT INTO users (id, email, name, nickname, avatar_url, role, banned, ban_reason, invite_code, invited_by,
                     is_affiliate, locale, signin_provider, signin_ip, created_at, updated_at)
  SELECT id, ${email('id')}, ${first('id')} || ' ' || ${last('id')}, lower(${first('id')}) || (id % 1000),
         'https://i.pravatar.cc/150?u=' || id, 'member', r_ban < 0.02,
         CASE WHEN r_ban < 0.02 THEN ${arr(['chargeback fraud', 'abusive prompts', 'shared account'], 'text')}[1 + id % 3] END,
         'I' || upper(to_hex(id)),
         -- Referrers from the same chunk: a chunk's rows are complete the moment its statement commits.
         CASE WHEN id > $1 AND r_inv < 0.1 THEN $1 + floor(r_inv * 10 * (id - $1))::int END,
         r_aff < 0.05, ${arr(['en', 'en', 'en', 'de', 'fr', 'ja', 'es', 'pt'], 'text')}[1 + floor(r_loc * 8)::int],
         ${arr(['google', 'google', 'github', 'email'], 'text')}[1 + floor(r_loc * 4)::int],
         (1 + floor(r_ip * 223)::int) || '.' || (id % 256) || '.' || ((id / 256) % 256) || '.' || (1 + id % 254),
         ${signup('id')}, ${signup('id')}
  FROM (SELECT id, random() AS r_ban, random() AS r_inv, random() AS r_aff, random() AS r_loc, random() AS r_ip
        FROM generate_series($1::int, $2::int) AS id) AS u
),
gen_draws AS (
  -- Power-law owners: cubing the draw gives a few heavy users per chunk, scattered by a prime stride.
  SELECT $1::int + ((floor(${N} * power(random(), 3))::bigint * 7919) % ${N})::int AS user_id,
         1 + floor(random() * ${MODELS.length})::int AS m, random() AS r_status, random() AS r_time,
         random() AS r_dur, 1 + floor(random() * ${PROMPTS.length})::int AS p
  FROM generate_series(1, $3::int)
),
gen_rows AS (
  SELECT user_id, m, r_status, p, (1000 + r_dur * ${60_000})::int AS duration_ms,
         date_trunc('milliseconds', ${between(`${signup('user_id')} + interval '1 minute'`, 'r_time')}) AS created_at
  FROM gen_draws
),
gens AS (
  INSERT INTO generations (gen_id, user_id, ai_type, provider, model, prompt, result_urls, status, provider_job_id,
                           credits_cost, cost_estimate_usd, duration_ms, error, created_at, completed_at)
  SELECT gen_id, user_id, ${arr(col(MODELS, 2), 'ai_type')}[m], ${arr(col(MODELS, 0), 'text')}[m], ${arr(col(MODELS, 1), 'text')}[m],
         ${arr(PROMPTS, 'text')}[p] || ', seed ' || floor(r_status * 1e6)::int,
         CASE WHEN status = 'completed' THEN jsonb_build_array('https://cdn.example.com/out/' || gen_id || '.webp') ELSE '[]'::jsonb END,
         status, CASE WHEN status <> 'pending' THEN 'job_' || substr(gen_id, 5, 16) END,
         ${arr(col(MODELS, 3), 'int')}[m], ${arr(col(MODELS, 3), 'int')}[m] * 0.004, duration_ms,
         CASE WHEN status = 'failed' THEN ${arr(['provider timeout', 'content policy violation', 'out of GPU capacity'], 'text')}[1 + p % 3] END,
         created_at, CASE WHEN status IN ('completed', 'failed') THEN created_at + duration_ms * interval '1 millisecond' END
  FROM (SELECT *, 'gen_' || substr(md5(random()::text || user_id), 1, 24) AS gen_id,
               (CASE WHEN r_status < 0.85 THEN 'completed' WHEN r_status < 0.92 THEN 'failed'
                     WHEN r_status < 0.95 THEN 'processing' ELSE 'pending' END)::generation_status AS status
        FROM gen_rows) AS g
  ORDER BY created_at
  RETURNING user_id, gen_id, model, status, credits_cost, created_at
),
order_rows AS (
  SELECT user_id, p, r_amount, k, status,
         date_trunc('milliseconds', ${between(`${signup('user_id')} + interval '1 minute'`, 'r_time')}) AS created_at
  FROM (SELECT $1::int + floor(random() * ${N})::int AS user_id, 1 + floor(random() * ${PRODUCTS.length})::int AS p,
               random() AS r_amount, random() AS r_time, row_number() OVER () AS k,
               (CASE WHEN r < 0.75 THEN 'paid' WHEN r < 0.83 THEN 'pending' WHEN r < 0.90 THEN 'failed'
                     WHEN r < 0.95 THEN 'cancelled' ELSE 'refunded' END)::order_status AS status
        FROM (SELECT random() AS r FROM generate_series(1, $4::int)) AS d) AS o
),
new_orders AS (
  INSERT INTO orders (order_no, user_id, product_id, product_name, amount, currency, status, credits, pay_type, paid_email,
                      subscription_id, interval, paid_at, refunded_at, created_at, updated_at)
  SELECT 'ORD-' || upper(lpad(to_hex($9::bigint + k), 10, '0')), user_id, ${arr(col(PRODUCTS, 0), 'text')}[p], ${arr(col(PRODUCTS, 1), 'text')}[p],
         -- Taxes and coupons make amounts vary around the list price, as real checkouts do.
         (${arr(col(PRODUCTS, 2), 'int')}[p] * (0.85 + r_amount * 0.35))::int, 'usd', status, ${arr(col(PRODUCTS, 3), 'int')}[p],
         ${arr(['stripe', 'stripe', 'stripe', 'paypal'], 'text')}[1 + k % 4], ${email('user_id')},
         CASE WHEN ${arr(col(PRODUCTS, 4), 'order_interval')}[p] <> 'one_time' THEN 'sub_' || substr(md5(k::text || user_id), 1, 14) END,
         ${arr(col(PRODUCTS, 4), 'order_interval')}[p],
         paid_at, CASE WHEN status = 'refunded' THEN date_trunc('milliseconds', ${between('paid_at', 'r_amount')}) END,
         created_at, coalesce(paid_at, created_at)
  FROM (SELECT *, CASE WHEN status IN ('paid', 'refunded') THEN least(created_at + interval '40 seconds', $7::timestamptz) END AS paid_at FROM order_rows) AS o
  ORDER BY created_at
  RETURNING id, user_id, status, credits, paid_at, refunded_at
),
spent AS (
  SELECT user_id, sum(credits_cost) AS credits FROM gens WHERE status <> 'failed' GROUP BY user_id
),
events AS (
  SELECT id AS user_id, 'new_user'::credit_transaction_type AS type, 50 AS amount, date_trunc('milliseconds', ${signup('id')}) AS created_at,
         NULL::int AS order_id, NULL::text AS generation_id, 'Welcome credits' AS description
  FROM generate_series($1::int, $2::int) AS id
  UNION ALL
  -- Heavy users got more than the welcome grant before spending it, so no balance ever dips below zero.
  SELECT user_id, 'system_add', credits - 50, date_trunc('milliseconds', ${signup('user_id')} + interval '1 second'), NULL, NULL, 'Starter allowance'
  FROM spent WHERE credits > 50
  UNION ALL
  SELECT user_id, 'order_pay', credits, paid_at, id, NULL, 'Order paid' FROM new_orders WHERE status IN ('paid', 'refunded')
  UNION ALL
  SELECT user_id, 'refund', -credits, refunded_at, id, NULL, 'Order refunded' FROM new_orders WHERE status = 'refunded'
  UNION ALL
  SELECT user_id, 'ai_generation', -credits_cost, created_at, NULL, gen_id, 'Generation: ' || model FROM gens WHERE status <> 'failed'
),
pings AS (
  -- Daily check-in rewards fill the ledger up to its target size.
  SELECT user_id, 'ping'::credit_transaction_type AS type, 1 + floor(r * 3)::int AS amount,
         date_trunc('milliseconds', ${between(`${signup('user_id')} + interval '2 seconds'`, 'r')}) AS created_at,
         NULL::int AS order_id, NULL::text AS generation_id, 'Daily check-in' AS description
  FROM (SELECT $1::int + floor(random() * ${N})::int AS user_id, random() AS r
        FROM generate_series(1, greatest(0, $5::int - (SELECT count(*) FROM events))::int)) AS d
),
ledger AS (
  SELECT *, sum(amount) OVER (PARTITION BY user_id ORDER BY created_at, amount DESC ROWS UNBOUNDED PRECEDING) AS balance_after
  FROM (SELECT * FROM events UNION ALL SELECT * FROM pings) AS e
),
new_ledger AS (
  INSERT INTO credit_transactions (user_id, type, amount, balance_after, order_id, generation_id, description, created_at)
  SELECT user_id, type, amount, balance_after, order_id, generation_id, description, created_at
  FROM ledger ORDER BY created_at, user_id, amount DESC
)
INSERT INTO credits (user_id, left_credits, total_credits, updated_at)
SELECT user_id, sum(amount), sum(amount) FILTER (WHERE amount > 0), max(created_at) FROM ledger GROUP BY user_id`;

const BULK_TABLES = ['users', 'orders', 'generations', 'credit_transactions', 'credits'];

export interface GenerateOptions {
  /** Concurrent connections; each fills its own chunks of users. */
  jobs?: number;
  now?: Date;
  historyDays?: number;
}

async function pool<T>(items: T[], jobs: number, work: (item: T, worker: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async (_, worker) => {
      while (next < items.length) await work(items[next++]!, worker);
    }),
  );
}

async function tuned(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: 'opsroom-bench-generate' });
  await c.connect();
  // Bench data is rebuilt from scratch on any failure, so durability per commit buys nothing here.
  await c.query("SET synchronous_commit = off; SET work_mem = '128MB'; SET maintenance_work_mem = '512MB'");
  // Foreign keys hold by construction (each chunk writes its users before their rows); skipping the
  // per-row RI triggers roughly halves load time. Needs a superuser; without one the checks just run.
  await c.query("SET session_replication_role = 'replica'").catch(() => {});
  return c;
}

/** Fills an empty, migrated bench database. Returns the row counts actually written. */
export async function generateData(url: string, sizes: Sizes, opts: GenerateOptions = {}): Promise<Record<string, number>> {
  const jobs = Math.max(1, opts.jobs ?? 2);
  const now = opts.now ?? new Date();
  const historyMs = (opts.historyDays ?? 365) * 86_400_000;
  const t0 = new Date(now.getTime() - historyMs);
  // Sign-ups spread over the history, the last one a day before now so it has time to act.
  const stepMs = (historyMs - 86_400_000) / sizes.users;

  const clients = await Promise.all(Array.from({ length: jobs }, () => tuned(url)));
  const [main] = clients as [pg.Client, ...pg.Client[]];
  try {
    const { rows: nonEmpty } = await main.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT 1 FROM users LIMIT 1) AS u');
    if (nonEmpty[0]!.n > 0) throw new Error('the bench database already has users; regenerate it with --fresh');

    // Secondary indexes are rebuilt once after the load: far cheaper than maintaining them row by
    // row (the trigram GIN indexes most of all). Constraint-backed ones (keys, uniques) stay.
    const { rows: indexes } = await main.query<{ name: string; def: string; table: string }>(
      `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def, i.indrelid::regclass::text AS table
       FROM pg_index i
       WHERE i.indrelid = ANY ($1::regclass[])
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
       ORDER BY pg_relation_size(i.indrelid) DESC`,
      [BULK_TABLES],
    );
    await main.query(`DROP INDEX ${indexes.map((i) => i.name).join(', ')}`);

    const chunkUsers = Math.min(20_000, Math.max(1_000, Math.ceil(sizes.users / 10)));
    const chunks: { lo: number; hi: number; index: number }[] = [];
    for (let lo = 1, index = 0; lo <= sizes.users; lo += chunkUsers, index++) chunks.push({ lo, hi: Math.min(sizes.users, lo + chunkUsers - 1), index });
    // Exact totals: each chunk gets the difference of the rounded cumulative shares.
    const share = (total: number, upTo: number) => Math.round((total * upTo) / sizes.users);
    const bar = new Progress('generate', sizes.users);
    let doneUsers = 0;
    await pool(chunks, jobs, async ({ lo, hi }, worker) => {
      const part = (total: number) => share(total, hi) - share(total, lo - 1);
      await clients[worker]!.query(CHUNK_SQL, [lo, hi, part(sizes.generations), part(sizes.orders), part(sizes.creditTransactions), t0, now, stepMs, share(sizes.orders, lo - 1)]);
      doneUsers += hi - lo + 1;
      bar.update(doneUsers, `${doneUsers.toLocaleString('en')} users with their rows`);
    });
    bar.done();

    // Ids were given explicitly; move the identity past them so the app's own inserts don't collide.
    await main.query("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))");

    const ibar = new Progress('indexes', indexes.length);
    let built = 0;
    await pool(indexes, jobs, async (index, worker) => {
      await clients[worker]!.query(index.def);
      ibar.update(++built, index.name);
    });
    ibar.done();

    // VACUUM sets the visibility map, so bounded counts can be index-only scans as on a settled table.
    await step('vacuum analyze', () => pool(BULK_TABLES, jobs, async (t, worker) => void (await clients[worker]!.query(`VACUUM (ANALYZE) ${t}`))));

    const counts: Record<string, number> = {};
    for (const t of BULK_TABLES) counts[t] = Number((await main.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    await step('check balances = ledger sums', () => checkConsistency(main));
    return counts;
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** The invariants the app relies on; a generator bug must not turn into a silently wrong benchmark. */
async function checkConsistency(c: pg.Client) {
  const { rows } = await c.query<{ mismatched: number; missing: number; negative: number }>(`
    SELECT
      (SELECT count(*)::int FROM credits cr JOIN (SELECT user_id, sum(amount) AS s FROM credit_transactions GROUP BY user_id) l
         USING (user_id) WHERE cr.left_credits <> l.s) AS mismatched,
      (SELECT count(*)::int FROM users u WHERE u.role = 'member' AND NOT EXISTS (SELECT 1 FROM credits cr WHERE cr.user_id = u.id)) AS missing,
      (SELECT count(*)::int FROM credit_transactions WHERE balance_after < 0) AS negative`);
  const r = rows[0]!;
  if (r.mismatched || r.missing || r.negative) {
    throw new Error(`generated data is inconsistent: ${r.mismatched} balances differ from their ledger, ${r.missing} users lack a balance, ${r.negative} ledger rows go negative`);
  }
}
