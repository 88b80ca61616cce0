import { Router } from 'express';
import { ACTION_ROLES, type StatsBucket, type StatsResponse } from '../../../contract';
import { z } from 'zod';
import { requireRole } from '../auth/middleware';
import type { AppContext } from '../context';
import { badRequest, zodFieldErrors } from '../http/errors';
import { parseBody } from '../http/parseBody';
import { actorOf } from '../http/request';
import { emptyFigures, type StatsWindow, type TimeRange } from './queries';
import { addFigures, closedUntil, DAY, isoDay, windowFigures, type WindowFigures } from './rollup';
import { refreshStats } from './refreshStats';

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

export type { StatsBucket, StatsResponse };

/** Monday 00:00 UTC of the ISO week holding the UTC day starting at `t` (1970-01-01 was a Thursday). */
const mondayOf = (t: number) => t - ((new Date(t).getUTCDay() + 6) % 7) * DAY;

const ranked = <K extends string>(key: K, counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n !== 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, count]) => ({ [key]: name, count }) as { [P in K]: string } & { count: number });

/** Builds the response body from per-day figures: day or week buckets, the window's generation maps, today. */
export function statsBody(w: StatsWindow, figures: WindowFigures): StatsResponse {
  const bucketOf = (day: string) => (w.interval === 'week' ? isoDay(mondayOf(Date.parse(`${day}T00:00:00Z`))) : day);
  const series = new Map<string, StatsBucket>();
  const total = emptyFigures();
  for (const [day, f] of figures.byDay) {
    const key = bucketOf(day);
    let b = series.get(key);
    if (!b) series.set(key, (b = { bucket: key, revenue: 0, refunds: 0, signups: 0, generations: 0, credits_granted: 0, credits_spent: 0 }));
    b.revenue += f.paidAmount - f.refundedAmount;
    b.refunds += f.refundedAmount;
    b.signups += f.signups;
    b.generations += f.generations;
    b.credits_granted += f.creditsGranted;
    b.credits_spent += f.creditsSpent;
    addFigures(total, f);
  }
  const t = figures.today;
  return {
    from: w.from.toISOString(),
    to: w.to.toISOString(),
    interval: w.interval,
    series: [...series.values()],
    generations_by_status: ranked('status', total.generationsByStatus),
    generations_by_provider: ranked('provider', total.generationsByProvider),
    today: { revenue: t.paidAmount - t.refundedAmount, signups: t.signups, generations: t.generations, credits_spent: t.creditsSpent },
  };
}

const isoDate = z.iso.date({ error: 'An ISO date, e.g. 2026-01-31' });
const refreshBody = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() });

/**
 * What POST /api/stats/refresh recomputes: the stored days `[from, to]`, inclusive UTC dates, by
 * default the dashboard's 30 days up to the last closed day. `to` past the last closed day is cut
 * back to it for the days; a window with no closed day in it is a 400. When the asked-for range
 * (no `to`, or a `to` of today or yesterday) reaches the days not closed yet, their closed hours in
 * stats_hourly are recomputed too (`hours`).
 */
export function parseRefreshWindow(body: unknown, now = new Date()): { from: string; to: string; hours?: TimeRange } {
  const input = parseBody(refreshBody, body);
  const lastClosed = closedUntil(now) - DAY;
  const asked = input.to ? Date.parse(`${input.to}T00:00:00Z`) + DAY : Infinity;
  const to = Math.min(asked - DAY, lastClosed);
  const from = input.from ? Date.parse(`${input.from}T00:00:00Z`) : to - (DEFAULT_SPAN_DAYS - 1) * DAY;
  if (from > lastClosed) {
    throw badRequest(`Only closed days are stored; ${isoDay(lastClosed)} is the last one (later days are always computed live).`, { from: `At most ${isoDay(lastClosed)}` });
  }
  if (input.to && from > Date.parse(`${input.to}T00:00:00Z`)) throw badRequest('`from` must not be after `to`.', { from: 'Must not be after to' });
  if (to - from >= MAX_SPAN_DAYS * DAY) throw badRequest(`The window spans at most ${MAX_SPAN_DAYS} days.`, { to: `At most ${MAX_SPAN_DAYS} days after from` });
  const hoursLo = closedUntil(now, 'day');
  const hoursHi = Math.min(asked, closedUntil(now, 'hour'));
  const hours = hoursLo < hoursHi ? { lo: new Date(hoursLo), hi: new Date(hoursHi) } : undefined;
  return { from: isoDay(from), to: isoDay(to), ...(hours && { hours }) };
}

/**
 * GET /api/stats?from&to&interval=day|week: the dashboard's figures. Buckets are UTC calendar days
 * or ISO weeks (Monday first); money is in cents. Closed days come from the stats_daily rollup,
 * closed hours of the other days from stats_hourly (both filled on first use), the rest from raw
 * rows; see rollup.ts for the staleness rule.
 *
 * POST /api/stats/refresh {from?, to?} (admin): recomputes the stored days in a range from the raw
 * rows, after a backfill or a fix to old rows, and the stored hours of today and yesterday when the
 * range reaches them; audits which days and hours changed.
 */
export function statsRouter(ctx: AppContext) {
  const router = Router();
  router.get('/stats', requireRole(ACTION_ROLES.stats.read), async (req, res) => {
    const window = parseWindow(req.query as Record<string, unknown>);
    const figures = await windowFigures(ctx.database.readDb, ctx.database.db, window);
    res.json(statsBody(window, figures));
  });

  router.post('/stats/refresh', requireRole(ACTION_ROLES.stats.refresh), async (req, res) => {
    res.json(await refreshStats({ db: ctx.database.db }, actorOf(req), parseRefreshWindow(req.body ?? {})));
  });
  return router;
}
