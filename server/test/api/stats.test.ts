import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { StatsBucket } from '../../src/stats';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';
import { act, rows } from './actions-helpers';

const DAY = 86_400_000;
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
