import pg from 'pg';

/** One statement exactly as a pg client sent it: the same config object replays it the same way. */
export interface CapturedQuery {
  config: pg.QueryConfig & { rowMode?: string; types?: unknown };
  start: number;
  end: number;
}

let active: CapturedQuery[] | undefined;

/**
 * Records every statement any pg client in this process sends while `capture` runs. Installed in
 * the process that runs the real server (scripts/bench/contenders.ts), so it sees exactly the SQL
 * and parameters it issues for a request (Drizzle's text, values, row mode) without any hook in
 * the server.
 */
export function installSqlCapture() {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; __benchCapture?: boolean };
  if (proto.__benchCapture) return;
  proto.__benchCapture = true;
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (!active) return original.apply(this, args);
    const [first, second] = args;
    // query(text, values?, cb?) or query(config, values?, cb?): Drizzle passes its values separately.
    const config = (typeof first === 'string' ? { text: first } : { ...(first as object) }) as CapturedQuery['config'];
    if (Array.isArray(second)) config.values = second;
    const entry: CapturedQuery = { config, start: performance.now(), end: Number.NaN };
    active.push(entry);
    const finish = () => (entry.end = performance.now());
    const cb = args.findIndex((a) => typeof a === 'function');
    if (cb >= 0) {
      const inner = args[cb] as (...a: unknown[]) => void;
      args[cb] = (...a: unknown[]) => (finish(), inner(...a));
      return original.apply(this, args);
    }
    const result = original.apply(this, args) as Promise<unknown> | undefined;
    result?.then?.(finish, finish);
    return result;
  };
}

export async function capture<T>(fn: () => Promise<T>): Promise<{ result: T; queries: CapturedQuery[] }> {
  beginCapture();
  try {
    const result = await fn();
    return { result, queries: active! };
  } finally {
    active = undefined;
  }
}

/** `capture` in two halves, for a server in another process: the bench asks for each over IPC. */
export function beginCapture() {
  if (active) throw new Error('SQL capture is not re-entrant');
  active = [];
}

/**
 * The statements since `beginCapture`, as plain data another process can replay: the text,
 * values, statement name and row mode. Drizzle's type parsers (functions) stay behind; the
 * replay parses values with pg's defaults, which changes nothing it measures.
 */
export function endCapture(): CapturedQuery[] {
  const queries = active ?? [];
  active = undefined;
  return queries.map(({ config: { name, text, values, rowMode }, start, end }) => ({ config: { name, text, values, rowMode }, start, end }));
}

/** A captured request's statements, each with the ones that had finished before it was sent. */
export interface ReplayPlan {
  queries: CapturedQuery[];
  after: number[][];
}

/**
 * Keeps the order the statements ran in: one sent after another finished waits for it on replay,
 * ones that overlapped (the list handler sends its page and count together) run together again.
 * So the direct-pg floor has the same round-trip shape as the server, no more and no fewer waits.
 */
export function replayPlan(queries: CapturedQuery[]): ReplayPlan {
  const sorted = [...queries].sort((a, b) => a.start - b.start);
  return { queries: sorted, after: sorted.map((q, i) => sorted.slice(0, i).flatMap((p, j) => (p.end <= q.start ? [j] : []))) };
}

/** Runs the captured statements directly on `pool`: the floor under the REST call. */
export async function replay(pool: pg.Pool, plan: ReplayPlan): Promise<void> {
  const done: Promise<unknown>[] = [];
  plan.queries.forEach((q, i) => {
    done.push(Promise.all(plan.after[i]!.map((j) => done[j])).then(() => pool.query(q.config)));
  });
  await Promise.all(done);
}
