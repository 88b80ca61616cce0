import { sql } from 'drizzle-orm';
import { expect, it, vi } from 'vitest';
import type { StatsBucket } from '../../src/stats';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { act, auditOf, rows } from './actions-helpers';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const utcMidnight = (t: number) => Math.floor(t / DAY) * DAY;
/** Monday 00:00 UTC of the ISO week holding t (1970-01-01 was a Thursday). */
const utcMonday = (t: number) => utcMidnight(t) - ((new Date(t).getUTCDay() + 6) % 7) * DAY;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const ms = (v: unknown) => (v === null ? null : new Date(v as string).getTime());

type Figures = Omit<StatsBucket, 'bucket'>;

describeEachEngine('dashboard stats', (server) => {
  /** The same figures, from every row, computed in JavaScript: the reference the SQL must match. */
  const expected = async (from: number, to: number, bucketOf: (t: number) => number, step = DAY) => {
    const [orders, users, gens, ledger] = await Promise.all([
      rows(server(), sql`select amount, status, paid_at, refunded_at from orders`),
      rows(server(), sql`select role, created_at from users`),
      rows(server(), sql`select status, provider, created_at from generations`),
      rows(server(), sql`select type, amount, created_at from credit_transactions`),
    ]);
    const buckets = new Map<number, Figures>();
    for (let b = bucketOf(from); b < to; b += step) {
      buckets.set(b, { revenue: 0, refunds: 0, signups: 0, generations: 0, credits_granted: 0, credits_spent: 0 });
    }
    const add = (t: number | null, field: keyof Figures, n: number) => {
      if (t === null || t < from || t >= to) return;
      buckets.get(bucketOf(t))![field] += n;
    };
    for (const o of orders) {
      if (o.status === 'paid' || o.status === 'refunded') add(ms(o.paid_at), 'revenue', o.amount);
      if (o.status === 'refunded') {
        add(ms(o.refunded_at), 'revenue', -o.amount);
        add(ms(o.refunded_at), 'refunds', o.amount);
      }
    }
    for (const u of users) if (u.role === 'member') add(ms(u.created_at), 'signups', 1);
    for (const g of gens) add(ms(g.created_at), 'generations', 1);
    for (const e of ledger) {
      if (e.amount > 0) add(ms(e.created_at), 'credits_granted', e.amount);
      if (e.type === 'ai_generation') add(ms(e.created_at), 'credits_spent', -e.amount);
    }
    const count = (key: 'status' | 'provider') => {
      const m = new Map<string, number>();
      for (const g of gens) {
        const t = ms(g.created_at)!;
        if (t >= from && t < to) m.set(g[key], (m.get(g[key]) ?? 0) + 1);
      }
      return m;
    };
    return { series: [...buckets].map(([b, f]) => ({ bucket: isoDay(b), ...f })), byStatus: count('status'), byProvider: count('provider') };
  };

  it('daily figures equal the same sums computed from every row', async () => {
    const { session } = await signIn(server(), 'admin');
    // A refund today, so today's revenue and refunds have something to net.
    const [order] = await rows<{ id: number }>(server(), sql`select id from orders where status = 'paid' order by paid_at desc limit 1`);
    expect((await act(session, `/api/orders/${order!.id}/refund`, { allow_partial: true })).status).toBe(200);

    const to = utcMidnight(Date.now()) + DAY;
    const from = to - 120 * DAY;
    const res = await session.json(`/api/stats?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&interval=day`);
    expect(res.status).toBe(200);
    const want = await expected(from, to, utcMidnight);
    expect(res.body.series).toHaveLength(120);
    expect(res.body.series).toEqual(want.series);
    for (const field of ['revenue', 'refunds', 'signups', 'generations', 'credits_granted', 'credits_spent'] as const) {
      expect(want.series.some((b) => b[field] !== 0), `${field} is non-zero somewhere`).toBe(true);
    }
    expect(new Map(res.body.generations_by_status.map((r: { status: string; count: number }) => [r.status, r.count]))).toEqual(want.byStatus);
    expect(new Map(res.body.generations_by_provider.map((r: { provider: string; count: number }) => [r.provider, r.count]))).toEqual(want.byProvider);
    expect(want.series.at(-1)!.refunds).toBeGreaterThan(0);

    // The first request stored every closed day of the window; the second reads them back.
    const [{ n }] = await rows<{ n: number }>(server(), sql`select count(*)::int as n from stats_daily where day >= ${isoDay(from)}::date and day < ${isoDay(utcMidnight(Date.now()) - DAY)}::date`);
    expect(n).toBe(119 - 1);
    const again = await session.json(`/api/stats?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&interval=day`);
    expect(again.body.series).toEqual(want.series);
    expect(new Map(again.body.generations_by_status.map((r: { status: string; count: number }) => [r.status, r.count]))).toEqual(want.byStatus);
    expect(new Map(again.body.generations_by_provider.map((r: { provider: string; count: number }) => [r.provider, r.count]))).toEqual(want.byProvider);
  });

  it('windows that start and end inside closed days count only their hours, first from rows and then from stored days', async () => {
    const { session } = await signIn(server(), 'support');
    const midnight = utcMidnight(Date.now());
    // Long partial edges (21 h, 20 h) take the stored day minus the hours outside; short ones (4 h, 5 h) read rows.
    const windows: [number, number][] = [
      [midnight - 50 * DAY + 3 * 3_600_000, midnight - 12 * DAY + 20 * 3_600_000],
      [midnight - 45 * DAY + 20 * 3_600_000 + 123, midnight - 9 * DAY + 5 * 3_600_000],
    ];
    for (const [from, to] of windows) {
      const want = await expected(from, to, utcMidnight);
      for (const round of ['first', 'second']) {
        const res = await session.json(`/api/stats?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`);
        expect(res.status).toBe(200);
        expect(res.body.series, round).toEqual(want.series);
        expect(new Map(res.body.generations_by_status.map((r: { status: string; count: number }) => [r.status, r.count])), round).toEqual(want.byStatus);
      }
      expect(want.series[0]!.generations + want.series.at(-1)!.generations, 'the partial edge days hold rows').toBeGreaterThan(0);
    }
  });

  it('a closed day is read from stats_daily, and POST /api/stats/refresh recomputes it from the rows', async () => {
    const { session } = await signIn(server(), 'admin');
    const day = isoDay(utcMidnight(Date.now()) - 3 * DAY);
    const bucketOf = (body: { series: StatsBucket[] }) => body.series.find((b) => b.bucket === day)!;
    const first = await session.json('/api/stats');
    const truth = bucketOf(first.body);
    expect(truth.generations).toBeGreaterThan(0);

    await rows(server(), sql`update stats_daily set generations = generations + 1000, paid_amount = paid_amount + 5 where day = ${day}::date`);
    const stale = await session.json('/api/stats');
    expect(bucketOf(stale.body)).toEqual({ ...truth, generations: truth.generations + 1000, revenue: truth.revenue + 5 });

    const refreshed = await act(session, '/api/stats/refresh', { from: day, to: day });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toEqual({ from: day, to: day, days: 1, changed: [day] });
    expect(bucketOf((await session.json('/api/stats')).body)).toEqual(truth);
    const [entry] = await auditOf(session, 'stats_daily', `${day}..${day}`);
    expect(entry).toMatchObject({ action: 'refresh', actor_email: expect.stringContaining('@') });
    expect(entry!.before.changed[day].generations).toBe(truth.generations + 1000);
    expect(entry!.after.changed[day].generations).toBe(truth.generations);

    // Without a body: the dashboard's 30 days up to the last closed day, nothing changed since.
    const all = await act(session, '/api/stats/refresh');
    expect(all.status).toBe(200);
    expect(all.body.days).toBe(30);
    expect(all.body.changed).toEqual([]);
  });

  it("today's figures stay live: a ledger entry and a payment made now show in the next response", async () => {
    const { session } = await signIn(server(), 'admin');
    const before = await session.json('/api/stats');
    const [member] = await rows<{ id: number }>(server(), sql`select id from users where role = 'member' order by id limit 1`);
    expect((await act(session, `/api/users/${member!.id}/credits`, { amount: 37, reason: 'stats test' })).status).toBe(200);
    await rows(
      server(),
      sql`insert into orders (order_no, user_id, product_id, product_name, amount, status, paid_at) values (${`stats-${Date.now()}`}, ${member!.id}, 'pro', 'Pro', 1234, 'paid', now())`,
    );
    const after = await session.json('/api/stats');
    const [was, now] = [before.body.series.at(-1), after.body.series.at(-1)];
    expect(now.bucket).toBe(isoDay(Date.now()));
    expect(now.credits_granted - was.credits_granted).toBe(37);
    expect(now.revenue - was.revenue).toBe(1234);
    expect(after.body.today.revenue - before.body.today.revenue).toBe(1234);
    const want = await expected(utcMidnight(Date.now()) - 29 * DAY, Date.parse(after.body.to), utcMidnight);
    expect(after.body.series).toEqual(want.series);
  });

  it('closed hours of a day not yet closed are read from stats_hourly, and POST /api/stats/refresh recomputes them', async () => {
    const { session } = await signIn(server(), 'admin');
    // The server runs in this process: the clock is set to 12:30 UTC yesterday, so "today" has
    // eleven closed hours (00:00 to 10:00) whatever the real time is, and every one of them has
    // really ended, so the hours stored here are true ones.
    const now = utcMidnight(Date.now()) - DAY + 12 * HOUR + 30 * 60_000;
    const dayStart = utcMidnight(now);
    const [busiest] = await rows<{ h: string }>(
      server(),
      sql`select date_trunc('hour', created_at) as h from generations where created_at >= ${new Date(dayStart).toISOString()}::timestamptz
            and created_at < ${new Date(dayStart + 11 * HOUR).toISOString()}::timestamptz group by 1 order by count(*) desc limit 1`,
    );
    expect(busiest, 'the demo data has generations in the closed hours').toBeDefined();
    const hour = new Date(busiest!.h).toISOString();
    vi.useFakeTimers({ toFake: ['Date'], now });
    try {
      await rows(server(), sql`delete from stats_hourly`);
      const first = await session.json('/api/stats');
      const want = await expected(dayStart - 29 * DAY, now, utcMidnight);
      expect(first.body.series).toEqual(want.series);
      const day = want.series.at(-1)!;
      expect(first.body.today).toEqual({ revenue: day.revenue, signups: day.signups, generations: day.generations, credits_spent: day.credits_spent });
      const stored = await rows<{ hour: string }>(server(), sql`select hour from stats_hourly order by hour`);
      expect(stored.map((r) => new Date(r.hour).getTime())).toEqual(Array.from({ length: 11 }, (_, i) => dayStart + i * HOUR));

      await rows(server(), sql`update stats_hourly set generations = generations + 1000, paid_amount = paid_amount + 5 where hour = ${hour}::timestamptz`);
      const stale = await session.json('/api/stats');
      expect(stale.body.series.at(-1)).toEqual({ ...first.body.series.at(-1), generations: day.generations + 1000, revenue: day.revenue + 5 });
      expect(stale.body.today.generations).toBe(day.generations + 1000);

      const old = new Date(dayStart - 4 * DAY).toISOString();
      await rows(server(), sql`insert into stats_hourly (hour, generations) values (${old}::timestamptz, 7)`);
      const refreshed = await act(session, '/api/stats/refresh');
      expect(refreshed.status).toBe(200);
      expect(refreshed.body).toMatchObject({ days: 30, changed: [], hours: 11, changed_hours: [hour] });
      expect((await session.json('/api/stats')).body).toEqual(first.body);
      const [entry] = await auditOf(session, 'stats_daily', `${refreshed.body.from}..${refreshed.body.to}`);
      expect(entry!.before.changed_hours[hour].generations).toBe(entry!.after.changed_hours[hour].generations + 1000);
      const [{ n }] = await rows<{ n: number }>(server(), sql`select count(*)::int as n from stats_hourly where hour = ${old}::timestamptz`);
      expect(n, 'hours older than three days are pruned').toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a generation created now counts at once: the current hour is always live', async () => {
    const { session } = await signIn(server(), 'support');
    const before = await session.json('/api/stats');
    const [member] = await rows<{ id: number }>(server(), sql`select id from users where role = 'member' order by id limit 1`);
    await rows(server(), sql`insert into generations (gen_id, user_id, ai_type, provider, model, prompt, status) values (${`stats-${Date.now()}`}, ${member!.id}, 'text', 'openai', 'gpt', 'stats test', 'pending')`);
    const after = await session.json('/api/stats');
    expect(after.body.today.generations - before.body.today.generations).toBe(1);
    expect(after.body.series.at(-1).generations - before.body.series.at(-1).generations).toBe(1);
    const want = await expected(utcMidnight(Date.now()) - 29 * DAY, Date.parse(after.body.to), utcMidnight);
    expect(after.body.series).toEqual(want.series);
  });

  it('refreshing is for admins, and its window is validated like the stats query', async () => {
    const support = (await signIn(server(), 'support')).session;
    const denied = await act(support, '/api/stats/refresh', {});
    expect(denied.status).toBe(403);

    const { session } = await signIn(server(), 'admin');
    const today = isoDay(Date.now());
    const cases: [unknown, string][] = [
      [{ from: '2026-02-01', to: '2026-01-01' }, 'from'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2026-13-45' }, 'to'],
      [{ from: '2024-01-01', to: '2025-01-02' }, 'to'],
      [{ from: today }, 'from'],
      [{ day: '2026-01-01' }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await act(session, '/api/stats/refresh', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (field) expect(res.body.errors, JSON.stringify(body)).toHaveProperty(field);
    }
    const [{ n }] = await rows<{ n: number }>(server(), sql`select count(*)::int as n from audit_log where resource = 'stats_daily'`);
    const ok = await act(session, '/api/stats/refresh', { from: '2024-01-01', to: '2024-12-31' });
    expect(ok.body).toMatchObject({ from: '2024-01-01', to: '2024-12-31', days: 366 });
    const [{ n: m }] = await rows<{ n: number }>(server(), sql`select count(*)::int as n from audit_log where resource = 'stats_daily'`);
    expect(m).toBe(n + 1);
  });

  it('weekly buckets start on Mondays and hold the same totals', async () => {
    const { session } = await signIn(server(), 'support');
    // Wednesday to Wednesday: the first and last weeks are partial, clipped to the window.
    const from = utcMonday(Date.now()) - 20 * 7 * DAY + 2 * DAY;
    const to = from + 15 * 7 * DAY;
    const res = await session.json(`/api/stats?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}&interval=week`);
    expect(res.status).toBe(200);
    const want = await expected(from, to, utcMonday, 7 * DAY);
    expect(res.body.series).toHaveLength(16);
    expect(res.body.series.every((b: { bucket: string }) => new Date(`${b.bucket}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(res.body.series).toEqual(want.series);
  });

  it("today's figures count from UTC midnight to now", async () => {
    const { session } = await signIn(server(), 'admin');
    const res = await session.json('/api/stats');
    const start = utcMidnight(Date.now());
    const want = await expected(start, Date.now() + 1, utcMidnight);
    const day = want.series.at(-1)!;
    expect(res.body.today).toEqual({ revenue: day.revenue, signups: day.signups, generations: day.generations, credits_spent: day.credits_spent });
  });

  it('without a window the last 30 days come back, one bucket a day, empty days as zeros', async () => {
    const { session } = await signIn(server(), 'support');
    const res = await session.json('/api/stats');
    expect(res.status).toBe(200);
    expect(res.body.series).toHaveLength(30);
    expect(res.body.series.at(-1).bucket).toBe(isoDay(Date.now()));
    expect(res.body.series[0].bucket).toBe(isoDay(Date.now() - 29 * DAY));
    const far = await session.json('/api/stats?from=2001-01-01&to=2001-01-08');
    expect(far.body.series).toHaveLength(7);
    expect(far.body.series.every((b: Figures) => Object.values(b).slice(1).every((v) => v === 0))).toBe(true);
    expect(far.body.generations_by_status).toEqual([]);
  });

  it('bad windows are 400s naming the parameter', async () => {
    const { session } = await signIn(server(), 'support');
    const cases: [string, string][] = [
      ['from=2026-02-01&to=2026-01-01', 'from'],
      ['from=2026-01-01&to=2026-01-01', 'from'],
      ['from=2024-01-01&to=2025-01-02', 'to'],
      ['from=yesterday', 'from'],
      ['to=2026-13-45', 'to'],
      ['interval=month', 'interval'],
    ];
    for (const [query, field] of cases) {
      const res = await session.json(`/api/stats?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors, query).toHaveProperty(field);
    }
    expect((await session.json('/api/stats?from=2024-01-01&to=2024-12-31')).status).toBe(200);
  });
}, { demo: true });
