import { and, getTableColumns, gte, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { statsDaily, type StatsDay } from '../db/schema';
import { emptyFigures, figuresByRangeAndDay, type DayFigures, type StatsWindow, type TimeRange } from './queries';

export const DAY = 86_400_000;

/**
 * How long after its end a day is still open to late writes (a generation finishing, a payment
 * webhook arriving, a clock a little behind). Until then the day is computed live on every request.
 */
export const LATE_WRITES_MS = 3_600_000;

/**
 * The staleness rule. A UTC day is *closed* once it ended more than an hour ago; the first request
 * that needs a closed day computes it from the raw rows and stores it in stats_daily, and from then
 * on the stored figures are what every response shows for it. Today, and yesterday until 01:00 UTC,
 * are always computed live. A row written into a closed day after it was stored (a backfill, a
 * manual fix, a delete) does not show until an admin runs POST /api/stats/refresh for that day.
 * Refunds are booked on their refund day, which is today, so they never stale a stored day.
 */
export function closedUntil(now: Date): number {
  return floorDay(now.getTime() - LATE_WRITES_MS);
}

export const floorDay = (t: number) => Math.floor(t / DAY) * DAY;
export const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** A live range and what its rows count towards: the window's days (added or, for `minus`, taken off a stored day) and/or `today`. */
export interface LiveRange extends TimeRange {
  window: boolean;
  today: boolean;
  minus: boolean;
}

export interface WindowPlan {
  /** Every UTC day the window touches, oldest first. */
  days: string[];
  /** Days whose figures start from stats_daily (whole closed days, and long partial ones via `minus`). */
  stored: string[];
  /** Raw-row ranges to aggregate for this request: the live part of the window, today, and the parts to take off stored days. */
  live: LiveRange[];
}

/**
 * Splits a window into stored days and live ranges. A closed day wholly inside the window is read
 * from stats_daily. A closed day the window covers only partly (a from/to at 14:37) is the cheaper
 * of two: its covered hours from raw rows, or, when it covers more than half the day, the stored day
 * minus the uncovered hours. Days not yet closed are live, merged into as few ranges as possible.
 * `today` is always [UTC midnight, now], and ranges are cut where window and today overlap, so no
 * row is aggregated twice.
 */
export function planWindow(w: StatsWindow): WindowPlan {
  const from = w.from.getTime();
  const to = w.to.getTime();
  const closed = closedUntil(w.now);
  const days: string[] = [];
  const stored: string[] = [];
  const windowLive: [number, number][] = [];
  const minus: [number, number][] = [];
  for (let d = floorDay(from); d < to; d += DAY) {
    days.push(isoDay(d));
    const a = Math.max(d, from);
    const b = Math.min(d + DAY, to);
    if (d + DAY > closed) windowLive.push([a, b]);
    else if (a === d && b === d + DAY) stored.push(isoDay(d));
    else if (b - a <= DAY / 2) windowLive.push([a, b]);
    else {
      stored.push(isoDay(d));
      if (a > d) minus.push([d, a]);
      if (b < d + DAY) minus.push([b, d + DAY]);
    }
  }
  const today: [number, number] = [w.todayStart.getTime(), w.now.getTime() + 1];
  // Days up to today stay one range each, so each is aggregated with its day as a constant (see
  // sourceQueries); days after today (a window reaching into the future) hold no rows and merge.
  const live: LiveRange[] = overlay(merge(windowLive, w.todayStart.getTime() + DAY), today).map(([lo, hi, inWindow, inToday]) => ({
    lo: new Date(lo),
    hi: new Date(hi),
    window: inWindow,
    today: inToday,
    minus: false,
  }));
  for (const [lo, hi] of minus) live.push({ lo: new Date(lo), hi: new Date(hi), window: true, today: false, minus: true });
  return { days, stored, live };
}

/** Joins contiguous ranges, but only those starting after `from`: earlier ones stay one day each. */
function merge(ranges: [number, number][], from: number): [number, number][] {
  const out: [number, number][] = [];
  for (const [lo, hi] of ranges) {
    const last = out.at(-1);
    if (last && last[1] === lo && lo > from) last[1] = hi;
    else out.push([lo, hi]);
  }
  return out;
}

/** Cuts the window's live ranges and today's range at each other's ends: disjoint pieces, each flagged. */
function overlay(windowRanges: [number, number][], today: [number, number]): [number, number, boolean, boolean][] {
  const inside = (rs: [number, number][], t: number) => rs.some(([lo, hi]) => t >= lo && t < hi);
  const points = [...new Set([...windowRanges.flat(), ...today])].sort((x, y) => x - y);
  const out: [number, number, boolean, boolean][] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [lo, hi] = [points[i]!, points[i + 1]!];
    const inWindow = inside(windowRanges, lo);
    const inToday = lo >= today[0] && lo < today[1];
    if (inWindow || inToday) out.push([lo, hi, inWindow, inToday]);
  }
  return out;
}

export function addFigures(into: DayFigures, f: DayFigures, sign: 1 | -1 = 1): DayFigures {
  into.paidAmount += sign * f.paidAmount;
  into.refundedAmount += sign * f.refundedAmount;
  into.signups += sign * f.signups;
  into.generations += sign * f.generations;
  into.creditsGranted += sign * f.creditsGranted;
  into.creditsSpent += sign * f.creditsSpent;
  for (const [k, n] of Object.entries(f.generationsByStatus)) into.generationsByStatus[k] = (into.generationsByStatus[k] ?? 0) + sign * n;
  for (const [k, n] of Object.entries(f.generationsByProvider)) into.generationsByProvider[k] = (into.generationsByProvider[k] ?? 0) + sign * n;
  return into;
}

const figuresOf = (row: StatsDay): DayFigures => ({
  paidAmount: Number(row.paidAmount),
  refundedAmount: Number(row.refundedAmount),
  signups: Number(row.signups),
  generations: Number(row.generations),
  creditsGranted: Number(row.creditsGranted),
  creditsSpent: Number(row.creditsSpent),
  generationsByStatus: row.generationsByStatus ?? {},
  generationsByProvider: row.generationsByProvider ?? {},
});

/** The stored days in `[fromDay, toDay]` (inclusive ISO dates). */
export async function readStoredDays(db: Db | Tx, fromDay: string, toDay: string): Promise<Map<string, DayFigures>> {
  const rows = await db.select().from(statsDaily).where(and(gte(statsDaily.day, fromDay), lte(statsDaily.day, toDay)));
  return new Map(rows.map((r) => [r.day, figuresOf(r)]));
}

/** Every figure column set from the row that conflicted: a recomputed day replaces the stored one. */
const replaceWithExcluded = Object.fromEntries(
  Object.entries(getTableColumns(statsDaily))
    .filter(([key]) => key !== 'day' && key !== 'computedAt')
    .map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)]),
);

/**
 * Computes every day in `[fromDay, toDay]` (inclusive ISO dates, all closed) from the raw rows, one
 * grouped statement per source over the whole span, and upserts them into stats_daily, empty days
 * included. ON CONFLICT DO UPDATE, so two requests filling the same days at once are harmless: the
 * later write wins with the same figures. Run it on the write database.
 */
export async function storeDays(db: Db | Tx, fromDay: string, toDay: string): Promise<Map<string, DayFigures>> {
  const lo = dayStart(fromDay);
  const hi = dayStart(toDay) + DAY;
  const computed = (await figuresByRangeAndDay(db, [{ lo: new Date(lo), hi: new Date(hi) }])).get(0) ?? new Map<string, DayFigures>();
  const out = new Map<string, DayFigures>();
  for (let d = lo; d < hi; d += DAY) out.set(isoDay(d), computed.get(isoDay(d)) ?? emptyFigures());
  const rows = [...out].map(([day, f]) => ({ day, ...f }));
  // 10 parameters a row: well under Postgres' 65,535 even for the longest window (366 days).
  await db
    .insert(statsDaily)
    .values(rows)
    .onConflictDoUpdate({
      target: statsDaily.day,
      set: { ...replaceWithExcluded, computedAt: sql`now()` },
    });
  return out;
}

export interface WindowFigures {
  /** Figures per day of the window, in `plan.days` order, clipped to the window. */
  byDay: Map<string, DayFigures>;
  today: DayFigures;
}

/**
 * The window's figures: stored days from stats_daily on the read database, missing closed days
 * computed once and stored on the write database, and the live ranges from raw rows.
 */
export async function windowFigures(read: Db, write: Db, w: StatsWindow): Promise<WindowFigures> {
  const plan = planWindow(w);
  const [stored, live] = await Promise.all([
    plan.stored.length ? readStoredDays(read, plan.stored[0]!, plan.stored.at(-1)!) : new Map<string, DayFigures>(),
    figuresByRangeAndDay(read, plan.live),
  ]);
  const missing = plan.stored.filter((d) => !stored.has(d));
  if (missing.length) {
    // One span from the first to the last missing day; stored days in between are recomputed too.
    for (const [day, f] of await storeDays(write, missing[0]!, missing.at(-1)!)) stored.set(day, f);
  }
  const byDay = new Map(plan.days.map((d) => [d, emptyFigures()]));
  for (const d of plan.stored) addFigures(byDay.get(d)!, stored.get(d)!);
  const today = emptyFigures();
  for (const [i, range] of plan.live.entries()) {
    for (const [d, f] of live.get(i) ?? []) {
      if (range.window && byDay.has(d)) addFigures(byDay.get(d)!, f, range.minus ? -1 : 1);
      if (range.today) addFigures(today, f);
    }
  }
  return { byDay, today };
}
