import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { moveCredits } from '../../src/billing/ledger';
import { queryRows } from '../../src/db/client';
import { orders, users } from '../../src/db/schema';
import { createOperator } from '../support/operators';
import { expectNoSecrets, knownSecrets } from './secrets';
import { describeHardened, pool, RecordingSession, reportFigures, scaled, type HardenedServer } from './support';

const LEDGER_USERS = scaled(40);
const LEDGER_CALLS = scaled(2_400);
const EDIT_RECORDS = scaled(4);
const WRITERS_PER_RECORD = scaled(12);
// Thousands of requests through one process; on a busy 2-core machine that can take minutes.
const TIMEOUT = scaled(600_000);

async function adminSession(s: HardenedServer) {
  const creds = await createOperator(s, 'admin');
  const session = new RecordingSession(s.url, s.traffic);
  expect((await session.login(creds.email, creds.password)).status).toBe(200);
  return session;
}

describeHardened('concurrency', (server) => {
  it(`concurrent edits: ${EDIT_RECORDS} records × ${WRITERS_PER_RECORD} writers, every stale write gets 409 and every row is one writer's whole update`, async () => {
    const s = server();
    const sessions = await Promise.all([adminSession(s), adminSession(s), adminSession(s)]);
    const ids: number[] = [];
    for (let i = 0; i < EDIT_RECORDS; i++) {
      const r = await sessions[0]!.json('/api/posts', { method: 'POST', body: JSON.stringify({ title: 'start', slug: `race-${i}`, description: 'start', content: 'start' }) });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    // Each writer reads, then writes back its own full update with the updated_at it read,
    // re-reading after every 409, until its update lands (as an operator would on "reload").
    const accepted = new Map<string, { seen: Record<string, unknown>; writer: string }>();
    let conflicts = 0;
    let attempts = 0;
    const writers = ids.flatMap((id) => Array.from({ length: WRITERS_PER_RECORD }, (_, w) => ({ id, writer: `w${id}-${w}` })));
    await pool(writers, 24, async ({ id, writer }, i) => {
      const session = sessions[i % sessions.length]!;
      for (let round = 0; ; round++) {
        expect(round, `${writer} never got its update in`).toBeLessThan(200);
        const seen = (await session.json(`/api/posts/${id}`)).body as Record<string, unknown>;
        const requestId = `edit-${writer}-${round}`;
        const res = await session.json(`/api/posts/${id}`, {
          method: 'PUT',
          headers: { 'x-request-id': requestId },
          body: JSON.stringify({ ...seen, title: writer, description: `${writer} description`, content: `${writer} content` }),
        });
        attempts++;
        if (res.status === 200) {
          accepted.set(requestId, { seen, writer });
          expect(res.body).toMatchObject({ title: writer, description: `${writer} description`, content: `${writer} content` });
          return;
        }
        expect(res.status, JSON.stringify(res.body)).toBe(409);
        expect(res.body.message).toMatch(/changed by someone else/);
        conflicts++;
      }
    });

    // The audit trail is the history: per record, each accepted write's "before" is exactly the
    // row its writer had read (so nobody overwrote a change they never saw), each "after" is the
    // next write's "before", and the row now is the last write, whole.
    const audits = await queryRows<{ record_id: string; request_id: string; before: Record<string, unknown>; after: Record<string, unknown> }>(
      s.ctx.database.db,
      sql`select record_id, request_id, before, after from audit_log where action = 'update' and resource = 'posts' order by id`,
    );
    let lostUpdates = 0;
    for (const id of ids) {
      const history = audits.filter((a) => a.record_id === String(id));
      expect(history).toHaveLength(WRITERS_PER_RECORD);
      history.forEach((a, k) => {
        const { seen } = accepted.get(a.request_id)!;
        if (a.before.title !== seen.title || a.before.updated_at !== seen.updated_at) lostUpdates++;
        if (k > 0) expect(a.before).toEqual(history[k - 1]!.after);
      });
      const now = (await sessions[0]!.json(`/api/posts/${id}`)).body;
      const last = accepted.get(history.at(-1)!.request_id)!.writer;
      expect(now).toMatchObject({ title: last, description: `${last} description`, content: `${last} content` });
      expect(now).toEqual(history.at(-1)!.after);
    }
    reportFigures('concurrent edits', { records: EDIT_RECORDS, writers: writers.length, attempts, accepted: accepted.size, conflicts409: conflicts, lostUpdates });
    expect(lostUpdates).toBe(0);
    expect(accepted.size).toBe(writers.length);
  }, TIMEOUT);

  it(`ledger under load: ${LEDGER_CALLS.toLocaleString('en')} concurrent grants, deducts, generation charges and refunds over ${LEDGER_USERS} users keep balance == sum of entries, never negative, nothing lost or doubled`, async () => {
    const s = server();
    const { db } = s.ctx.database;
    const sessions = await Promise.all([adminSession(s), adminSession(s), adminSession(s), adminSession(s)]);
    const ledgerModel = s.models.get('credit_transactions')!;

    // Users, each with a paid order whose credits are on the ledger (what the payment webhook does).
    const userIds: number[] = [];
    const orderIds: number[] = [];
    for (let i = 0; i < LEDGER_USERS; i++) {
      const [u] = await db.insert(users).values({ email: `ledger-${i}-${randomUUID()}@example.com` }).returning({ id: users.id });
      const [o] = await db
        .insert(orders)
        .values({ orderNo: `L-${randomUUID()}`, userId: u!.id, productId: 'credits-100', productName: '100 credits', amount: 1000, status: 'paid', credits: 100, paidAt: new Date() })
        .returning({ id: orders.id });
      await db.transaction((tx) => moveCredits(tx, ledgerModel, { userId: u!.id, type: 'order_pay', amount: 100, orderId: o!.id, description: 'seed' }));
      userIds.push(u!.id);
      orderIds.push(o!.id);
    }

    // The mix. "Generation charges" have no route of their own (the SaaS app makes them): they go
    // through the credits action as small negative adjustments, racing with everything else.
    type Call = { kind: 'grant' | 'deduct' | 'generation' | 'refund' | 'retried'; user: number; order?: number; amount?: number; key?: string; operator?: number };
    const calls: Call[] = [];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const refunded = new Set<number>();
    while (calls.length < LEDGER_CALLS) {
      const u = rand(LEDGER_USERS);
      const roll = rand(100);
      if (roll < 30) calls.push({ kind: 'grant', user: userIds[u]!, amount: 1 + rand(50) });
      else if (roll < 55) calls.push({ kind: 'deduct', user: userIds[u]!, amount: -(1 + rand(60)) });
      else if (roll < 85) calls.push({ kind: 'generation', user: userIds[u]!, amount: -(1 + rand(5)) });
      else if (roll < 90 && !refunded.has(u)) {
        refunded.add(u);
        calls.push({ kind: 'refund', user: userIds[u]!, order: orderIds[u]! });
      } else {
        // The same grant sent three times with one Idempotency-Key by one operator (a client
        // retrying after a timeout; keys are scoped to the operator who sent them).
        const key = randomUUID();
        const amount = 1 + rand(20);
        const operator = rand(sessions.length);
        for (let k = 0; k < 3; k++) calls.push({ kind: 'retried', user: userIds[u]!, amount, key, operator });
      }
    }
    // Shuffle so retries of one key race each other.
    for (let i = calls.length - 1; i > 0; i--) {
      const j = rand(i + 1);
      [calls[i], calls[j]] = [calls[j]!, calls[i]!];
    }

    const acked: { call: Call; status: number; body: any; replayed: boolean }[] = [];
    const statuses = new Map<string, number>();
    const started = Date.now();
    await pool(calls, 32, async (call, i) => {
      const session = sessions[call.operator ?? i % sessions.length]!;
      const res =
        call.kind === 'refund'
          ? await session.json(`/api/orders/${call.order}/refund`, { method: 'POST', body: JSON.stringify({ reason: 'hardening refund', allow_partial: true }) })
          : await session.json(`/api/users/${call.user}/credits`, {
              method: 'POST',
              headers: call.key ? { 'idempotency-key': call.key } : {},
              body: JSON.stringify({ amount: call.amount, reason: call.key ? `retried ${call.key}` : `${call.kind} ${i}` }),
            });
      const label = `${call.kind}:${res.status}`;
      statuses.set(label, (statuses.get(label) ?? 0) + 1);
      expect(res.status, `${call.kind} → ${JSON.stringify(res.body)}`).toBeLessThan(500);
      if (res.status === 200) acked.push({ call, status: res.status, body: res.body, replayed: res.headers.get('idempotent-replayed') === 'true' });
      // The only refusal the mix may meet: a deduct larger than the balance.
      else expect([res.status, call.kind, res.body.message]).toEqual([409, expect.stringMatching(/deduct|generation/), expect.stringMatching(/negative balance/)]);
    });
    const seconds = (Date.now() - started) / 1000;

    // Per user: balance == sum of entries, and >= 0; every entry in the ledger was acknowledged
    // once, and every acknowledged change is there exactly once.
    const balances = await queryRows<{ user_id: number; left_credits: number; sum: number; entries: number; min_after: number }>(
      db,
      sql`select c.user_id, c.left_credits, coalesce(sum(t.amount), 0)::int as sum, count(t.id)::int as entries, coalesce(min(t.balance_after), 0)::int as min_after
          from credits c left join credit_transactions t on t.user_id = c.user_id group by c.user_id, c.left_credits`,
    );
    const drift = balances.filter((b) => b.left_credits !== b.sum);
    expect(drift).toEqual([]);
    expect(balances.filter((b) => b.left_credits < 0 || b.min_after < 0)).toEqual([]);

    const entries = await queryRows<{ id: number; user_id: number; type: string; amount: number; order_id: number | null; description: string }>(
      db,
      sql`select id, user_id, type, amount, order_id, description from credit_transactions where type <> 'order_pay' order by id`,
    );
    for (const e of entries) e.id = Number(e.id); // bigint: node-postgres returns it as text
    const adjustIds = acked.filter((a) => a.call.kind !== 'refund' && !a.replayed).map((a) => Number(a.body.transaction.id));
    expect(new Set(adjustIds).size).toBe(adjustIds.length);
    const refundAcks = acked.filter((a) => a.call.kind === 'refund' && a.body.credits_reversed > 0);
    expect(entries.filter((e) => e.type === 'admin_adjust').map((e) => e.id).sort((a, b) => a - b)).toEqual([...adjustIds].sort((a, b) => a - b));
    expect(entries.filter((e) => e.type === 'refund').map((e) => e.order_id).sort()).toEqual(refundAcks.map((a) => a.call.order).sort());
    // Each retried key: one entry, and all three answers name it.
    const keys = new Map<string, Set<number>>();
    for (const a of acked.filter((x) => x.call.kind === 'retried')) keys.set(a.call.key!, (keys.get(a.call.key!) ?? new Set()).add(Number(a.body.transaction.id)));
    for (const [key, txIds] of keys) {
      expect(txIds.size, key).toBe(1);
      expect(entries.filter((e) => e.description === `retried ${key}`)).toHaveLength(1);
    }
    const retriedCalls = calls.filter((c) => c.kind === 'retried').length;
    expect(acked.filter((a) => a.call.kind === 'retried')).toHaveLength(retriedCalls);

    reportFigures('ledger under load', {
      calls: calls.length,
      users: LEDGER_USERS,
      seconds: seconds.toFixed(1),
      entriesChecked: entries.length + LEDGER_USERS,
      usersChecked: balances.length,
      drift: drift.length,
      negative: 0,
      idempotencyKeys: keys.size,
      replays: acked.filter((a) => a.replayed).length,
      statuses: [...statuses].sort().map(([k, v]) => `${k}=${v}`).join(' '),
    });
    expect(balances).toHaveLength(LEDGER_USERS);
  }, TIMEOUT);

  it('first grants racing for a user who has no balance row yet all land (none is refused as "negative")', async () => {
    const s = server();
    const sessions = await Promise.all([adminSession(s), adminSession(s)]);
    const [u] = await s.ctx.database.db.insert(users).values({ email: `first-grant-${randomUUID()}@example.com` }).returning({ id: users.id });
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => sessions[i % 2]!.json(`/api/users/${u!.id}/credits`, { method: 'POST', body: JSON.stringify({ amount: 1, reason: `first ${i}` }) })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
    const [row] = await queryRows<{ left: number; n: number }>(
      s.ctx.database.db,
      sql`select c.left_credits as left, (select count(*)::int from credit_transactions t where t.user_id = c.user_id) as n from credits c where c.user_id = ${u!.id}`,
    );
    expect(row).toEqual({ left: 16, n: 16 });
  });

  it('no secret in any response body, log line or audit row', async () => {
    const s = server();
    await expectNoSecrets(s, await knownSecrets(s, []));
  });
});
