import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../auth/middleware';
import type { AppContext } from '../context';
import { queryRows } from '../db/client';
import { badRequest, zodFieldErrors } from '../http/errors';
import { dashboardQueries, type StatsWindow } from './queries';

const DAY = 86_400_000;
export const MAX_SPAN_DAYS = 366;
export const DEFAULT_SPAN_DAYS = 30;

const isoInstant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'An ISO date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z' })
  .transform((s) => new Date(s));

const statsQuery = z.object({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  interval: z.enum(['day', 'week'], { error: 'day or week' }).default('day'),
});

const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/**
 * The window the dashboard asked for: `[from, to)`, by default the last 30 UTC days up to now (so the
 * first day bucket is whole). Query strings are validated like bodies: 400 with per-field errors.
 */
export function parseWindow(query: Record<string, unknown>, now = new Date()): StatsWindow {
  const only = (k: string) => (Array.isArray(query[k]) ? undefined : query[k]);
  const parsed = statsQuery.safeParse({ from: only('from'), to: only('to'), interval: only('interval') });
  if (!parsed.success) throw badRequest('Invalid stats query', zodFieldErrors(parsed.error));
  const { interval } = parsed.data;
  const to = parsed.data.to ?? now;
  const from = parsed.data.from ?? (parsed.data.to ? new Date(to.getTime() - DEFAULT_SPAN_DAYS * DAY) : new Date(startOfUtcDay(now).getTime() - (DEFAULT_SPAN_DAYS - 1) * DAY));
  if (from.getTime() >= to.getTime()) throw badRequest('`from` must be before `to`.', { from: 'Must be before to' });
  if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY) throw badRequest(`The window spans at most ${MAX_SPAN_DAYS} days.`, { to: `At most ${MAX_SPAN_DAYS} days after from` });
  return { from, to, interval, todayStart: startOfUtcDay(now), now };
}

const num = (v: unknown) => Number(v ?? 0);

/** One bucket of the dashboard's series; money in cents. */
export interface StatsBucket {
  bucket: string;
  revenue: number;
  refunds: number;
  signups: number;
  generations: number;
  credits_granted: number;
  credits_spent: number;
}

/** The body of GET /api/stats, as the console reads it. */
export interface StatsResponse {
  from: string;
  to: string;
  interval: 'day' | 'week';
  series: StatsBucket[];
  generations_by_status: { status: string; count: number }[];
  generations_by_provider: { provider: string; count: number }[];
  today: { revenue: number; signups: number; generations: number; credits_spent: number };
}

/**
 * GET /api/stats?from&to&interval=day|week: the dashboard's figures, computed in SQL on the read
 * database. Buckets are UTC calendar days or ISO weeks (Monday first); money is in cents.
 */
export function statsRouter(ctx: AppContext) {
  const router = Router();
  router.get('/stats', requireRole('support'), async (req, res) => {
    const window = parseWindow(req.query as Record<string, unknown>);
    const q = dashboardQueries(window);
    const db = ctx.database.readDb;
    const [series, byStatus, byProvider, [today]] = await Promise.all([
      queryRows<Record<string, unknown>>(db, q.series),
      queryRows<{ status: string; count: unknown }>(db, q.generationsByStatus),
      queryRows<{ provider: string; count: unknown }>(db, q.generationsByProvider),
      queryRows<Record<string, unknown>>(db, q.today),
    ]);
    const body: StatsResponse = {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      interval: window.interval,
      series: series.map((r) => ({
        bucket: r.bucket as string,
        revenue: num(r.revenue),
        refunds: num(r.refunds),
        signups: num(r.signups),
        generations: num(r.generations),
        credits_granted: num(r.credits_granted),
        credits_spent: num(r.credits_spent),
      })),
      generations_by_status: byStatus.map((r) => ({ status: r.status, count: num(r.count) })),
      generations_by_provider: byProvider.map((r) => ({ provider: r.provider, count: num(r.count) })),
      today: { revenue: num(today?.revenue), signups: num(today?.signups), generations: num(today?.generations), credits_spent: num(today?.credits_spent) },
    };
    res.json(body);
  });
  return router;
}
