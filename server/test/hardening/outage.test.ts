import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { users } from '../../src/db/schema';
import { createOperator } from '../support/operators';
import { expectNoSecrets, knownSecrets } from './secrets';
import { describeHardened, RecordingSession, reportFigures, scaled } from './support';

const BASE_URL = process.env.TEST_DATABASE_URL;
const OUTAGE_MS = scaled(3_000);
const WORKERS = 12;

interface Outcome {
  kind: 'waitlist' | 'credits' | 'read';
  status: number;
  ms: number;
  phase: 'before' | 'outage' | 'after';
  body: any;
  retryAfter: string | null;
  email?: string;
}

describeHardened(
  'database outage',
  (server) => {
    it('with traffic running, killing every database connection gives 503s with a clear message, no hang, recovery on its own, and every acknowledged write kept', async () => {
      const s = server();
      const dbName = new URL(s.databaseUrl!).pathname.slice(1);
      const creds = await createOperator(s, 'admin');
      const session = new RecordingSession(s.url, s.traffic);
      expect((await session.login(creds.email, creds.password)).status).toBe(200);
      const [user] = await s.ctx.database.db.insert(users).values({ email: `outage-${randomUUID()}@example.com` }).returning({ id: users.id });

      let phase: Outcome['phase'] = 'before';
      let stop = false;
      const outcomes: Outcome[] = [];
      const request = async (i: number): Promise<Outcome> => {
        const kind: Outcome['kind'] = i % 3 === 0 ? 'waitlist' : i % 3 === 1 ? 'credits' : 'read';
        const email = kind === 'waitlist' ? `acked-${randomUUID()}@example.com` : undefined;
        const started = Date.now();
        const at = phase;
        const res =
          kind === 'waitlist'
            ? await session.fetch('/api/waitlist', { method: 'POST', body: JSON.stringify({ email, source: 'outage' }), signal: AbortSignal.timeout(30_000) })
            : kind === 'credits'
              ? await session.fetch(`/api/users/${user!.id}/credits`, { method: 'POST', body: JSON.stringify({ amount: 1, reason: `outage ${i}` }), signal: AbortSignal.timeout(30_000) })
              : await session.fetch('/api/users?range=[0,24]', { signal: AbortSignal.timeout(30_000) });
        const text = await res.text();
        return { kind, status: res.status, ms: Date.now() - started, phase: at === 'outage' || phase === 'outage' ? 'outage' : at, body: text ? JSON.parse(text) : undefined, retryAfter: res.headers.get('retry-after'), email };
      };
      let n = 0;
      const workers = Array.from({ length: WORKERS }, async () => {
        while (!stop) outcomes.push(await request(n++));
      });

      // Traffic is flowing; then, from an admin connection, kill every backend of this database
      // as fast as they reconnect, for the whole outage window.
      const admin = new pg.Client({ connectionString: BASE_URL });
      await admin.connect();
      let killed = 0;
      try {
        await pollUntil(() => outcomes.filter((o) => o.status < 300).length >= 30, 'traffic before the outage');
        phase = 'outage';
        const until = Date.now() + OUTAGE_MS;
        while (Date.now() < until) {
          const r = await admin.query('select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
          killed += r.rows[0].n as number;
        }
        phase = 'after';
        // Recovery on its own: no restart, no intervention, the next requests succeed.
        await pollUntil(async () => (await fetch(`${s.url}/healthz`)).status === 200, 'the health check to pass again');
        const afterStart = outcomes.length;
        await pollUntil(() => outcomes.slice(afterStart).filter((o) => o.status < 300).length >= 30, 'traffic to succeed again');
      } finally {
        stop = true;
        await Promise.all(workers);
        await admin.end();
      }

      const during = outcomes.filter((o) => o.phase === 'outage');
      const unavailable = outcomes.filter((o) => o.status === 503);
      const otherErrors = outcomes.filter((o) => o.status >= 400 && o.status !== 503);
      const slowest = Math.max(...outcomes.map((o) => o.ms));
      // Acknowledged writes: every 2xx waitlist entry and every 2xx ledger entry is in the database.
      const ackedEmails = outcomes.filter((o) => o.kind === 'waitlist' && o.status === 201).map((o) => o.email!);
      const ackedTx = outcomes.filter((o) => o.kind === 'credits' && o.status === 200).map((o) => o.body.transaction.id as number);
      const stored = new Set((await queryRows<{ email: string }>(s.ctx.database.db, sql`select email from waitlist where source = 'outage'`)).map((r) => r.email));
      const storedTx = new Set((await queryRows<{ id: number }>(s.ctx.database.db, sql`select id from credit_transactions where user_id = ${user!.id}`)).map((r) => Number(r.id)));
      const lost = ackedEmails.filter((e) => !stored.has(e)).length + ackedTx.filter((id) => !storedTx.has(id)).length;
      const [balance] = await queryRows<{ left: number; sum: number }>(
        s.ctx.database.db,
        sql`select c.left_credits as left, (select coalesce(sum(amount), 0)::int from credit_transactions t where t.user_id = c.user_id) as sum from credits c where c.user_id = ${user!.id}`,
      );

      reportFigures('database outage', {
        requests: outcomes.length,
        duringOutage: during.length,
        backendsKilled: killed,
        '503': unavailable.length,
        otherErrors: otherErrors.length,
        slowestMs: slowest,
        ackedWrites: ackedEmails.length + ackedTx.length,
        lost,
        drift: balance ? balance.left - balance.sum : 'n/a',
      });
      expect(killed).toBeGreaterThan(0);
      expect(unavailable.length).toBeGreaterThan(0);
      expect(otherErrors.map((o) => `${o.kind} ${o.status} ${JSON.stringify(o.body)}`)).toEqual([]);
      for (const o of unavailable) {
        expect(o.body).toEqual({ message: 'The database is unavailable right now. Try again in a moment.' });
        expect(o.retryAfter).toBe('5');
      }
      // No hang: a request waits at most the pool's connection timeout (5 s here) plus its query.
      expect(slowest).toBeLessThan(15_000);
      expect(lost).toBe(0);
      expect(balance!.left).toBe(balance!.sum);
      // The log says what happened, without a stack per request.
      expect(s.logs.lines.some((l) => l.includes('database unavailable'))).toBe(true);
      expect(s.logs.lines.filter((l) => l.includes('"level":50'))).toEqual([]);
      await expectNoSecrets(s, await knownSecrets(s, []));
    }, 300_000);
  },
  {},
  'postgres',
);

async function pollUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
