import { and, getTableColumns, gte, lt, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../db/client';
import { statsDaily, statsHourly, type StatsDay } from '../db/schema';
import { BUCKET_MS, bucketName, emptyFigures, figuresByRange, type BucketUnit, type DayFigures, type StatsWindow, type TimeRange } from './queries';

export const DAY = BUCKET_MS.day;
export const HOUR = BUCKET_MS.hour;

/** Stored hours older than this are deleted whenever hours are stored: their day is in stats_daily by then. */
export const HOURLY_KEEP_MS = 3 * DAY;

/**
 * How long after its end a day is still open to late writes (a generation finishing, a payment
 * webhook arriving, a clock a little behind). Until then the day is computed live on every request.
 */
export const LATE_WRITES_MS = 3_600_000;

/**
 * The staleness rule. A UTC day is *closed* once it ended more than an hour ago; the first request
 * that needs a closed day computes it from the raw rows and stores it in stats_daily, and from then
 * on the stored figures are what every response shows for it. Today, and yesterday until 01:00 UTC,
 * are not closed. A row written into a closed day after it was stored (a backfill, a manual fix, a
 * delete) does not show until an admin runs POST /api/stats/refresh for that day. Refunds are booked
 * on their refund day, which is today, so they never stale a stored day.
 *
 * The days not closed yet are rolled up the same way by the hour, in stats_hourly, under the same
 * rule: an hour is closed once it ended more than an hour ago, so only the current hour and the one
 * before are aggregated from rows on every request. A shorter grace (minutes) would make that one
 * hour, but the late writes the hour of grace is for land in hours just as in days: a generation is
 * counted by its created_at under its *current* status, and one still pending or processing when its
 * hour was stored would stay counted so until its day closes. When the day closes, stats_daily is
 * computed from the raw rows, not from the hours, so a stale hour never outlives its day.
 */
export function closedUntil(now: Date, unit: BucketUnit = 'day'): number {
  return floorTo(unit, now.getTime() - LATE_WRITES_MS);
}

const floorTo = (unit: BucketUnit, t: number) => Math.floor(t / BUCKET_MS[unit]) * BUCKET_MS[unit];

export const floorDay = (t: number) => Math.floor(t / DAY) * DAY;
export const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);
/** The start of a bucket from its name (see bucketName). */
const bucketStart = (unit: BucketUnit, name: string) => Date.parse(unit === 'day' ? `${name}T00:00:00Z` : name);

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

const figuresOf = (row: Omit<StatsDay, 'day'>): DayFigures => ({
  paidAmount: Number(row.paidAmount),
  refundedAmount: Number(row.refundedAmount),
  signups: Number(row.signups),
  generations: Number(row.generations),
  creditsGranted: Number(row.creditsGranted),
  creditsSpent: Number(row.creditsSpent),
  generationsByStatus: row.generationsByStatus ?? {},
  generationsByProvider: row.generationsByProvider ?? {},
});

/** Every figure column set from the row that conflicted: a recomputed bucket replaces the stored one. */
const replaceWithExcluded = (table: PgTable, key: string) => ({
  ...Object.fromEntries(
    Object.entries(getTableColumns(table))
      .filter(([k]) => k !== key && k !== 'computedAt')
      .map(([k, column]) => [k, sql.raw(`excluded."${column.name}"`)]),
  ),
  computedAt: sql`now()`,
});

/** Where one bucket size is stored: reading and upserting its rows by bucket name. */
interface RollupStore {
  /** The stored buckets starting in `[lo, hi)`. */
  read(db: Db | Tx, lo: number, hi: number): Promise<[string, DayFigures][]>;
  /** Upserts the buckets (ON CONFLICT DO UPDATE) and deletes what is no longer worth keeping. */
  write(db: Db | Tx, rows: [string, DayFigures][]): Promise<void>;
}

const stores: Record<BucketUnit, RollupStore> = {
  day: {
    read: async (db, lo, hi) =>
      (await db.select().from(statsDaily).where(and(gte(statsDaily.day, isoDay(lo)), lt(statsDaily.day, isoDay(hi))))).map((r) => [r.day, figuresOf(r)]),
    write: async (db, rows) => {
      const values = rows.map(([day, f]) => ({ day, ...f }));
      await db.insert(statsDaily).values(values).onConflictDoUpdate({ target: statsDaily.day, set: replaceWithExcluded(statsDaily, 'day') });
    },
  },
  hour: {
    read: async (db, lo, hi) =>
      (await db.select().from(statsHourly).where(and(gte(statsHourly.hour, new Date(lo)), lt(statsHourly.hour, new Date(hi))))).map((r) => [r.hour.toISOString(), figuresOf(r)]),
    write: async (db, rows) => {
      const values = rows.map(([hour, f]) => ({ hour: new Date(hour), ...f }));
      await db.insert(statsHourly).values(values).onConflictDoUpdate({ target: statsHourly.hour, set: replaceWithExcluded(statsHourly, 'hour') });
      await db.delete(statsHourly).where(lt(statsHourly.hour, new Date(Date.now() - HOURLY_KEEP_MS)));
    },
  },
};

/** The stored buckets of `unit` starting in `[lo, hi)`, by name. */
export async function readStored(db: Db | Tx, unit: BucketUnit, lo: number, hi: number): Promise<Map<string, DayFigures>> {
  return new Map(await stores[unit].read(db, lo, hi));
}

/**
 * Computes every bucket of `unit` in `[lo, hi)` (bucket-aligned, all closed) from the raw rows, one
 * grouped statement per source over the whole span, and upserts them into stats_daily or
 * stats_hourly, empty buckets included. ON CONFLICT DO UPDATE, so two requests filling the same
 * buckets at once are harmless: the later write wins with the same figures. Storing hours also
 * prunes stats_hourly. Run it on the write database.
 */
export async function storeBuckets(db: Db | Tx, unit: BucketUnit, lo: number, hi: number): Promise<Map<string, DayFigures>> {
  const computed = (await figuresByRange(db, [{ lo: new Date(lo), hi: new Date(hi) }], unit)).get(0) ?? new Map<string, DayFigures>();
  const out = new Map<string, DayFigures>();
  for (let t = lo; t < hi; t += BUCKET_MS[unit]) out.set(bucketName(unit, t), computed.get(bucketName(unit, t)) ?? emptyFigures());
  // 10 parameters a row: well under Postgres' 65,535 even for the longest window (366 days).
  if (out.size) await stores[unit].write(db, [...out]);
  return out;
}

/**
 * Reads the named buckets (oldest first) from the read database and computes and stores the missing
 * ones on the write database: one span from the first to the last missing bucket, so stored buckets
 * in between are recomputed too.
 */
async function storedOrFilled(read: Db, write: Db, unit: BucketUnit, names: string[]): Promise<Map<string, DayFigures>> {
  if (!names.length) return new Map();
  const stored = await readStored(read, unit, bucketStart(unit, names[0]!), bucketStart(unit, names.at(-1)!) + BUCKET_MS[unit]);
  const missing = names.filter((n) => !stored.has(n));
  if (missing.length) {
    const filled = await storeBuckets(write, unit, bucketStart(unit, missing[0]!), bucketStart(unit, missing.at(-1)!) + BUCKET_MS[unit]);
    for (const [name, f] of filled) stored.set(name, f);
  }
  return stored;
}

/**
 * Splits the live ranges of a plan at the closed hours of the days not yet closed: those whole hours
 * are read from stats_hourly (`hours`, each one hour with its range's flags), the rest stays live.
 * A range edge inside an hour (a window ending at 14:37) leaves that part hour live: it is less than
 * an hour of rows either way, so there is no stored-hour-minus-the-rest case as there is for days.
 * Ranges on closed days (short partial edges, the `minus` ones) are left as they are: their days
 * are in stats_daily, and hours are kept only for days that are not.
 */
export function planHours(live: LiveRange[], now: Date): { hours: LiveRange[]; live: LiveRange[] } {
  const openDays = closedUntil(now, 'day');
  const closedHours = closedUntil(now, 'hour');
  const hours: LiveRange[] = [];
  const rest: LiveRange[] = [];
  for (const r of live) {
    const [lo, hi] = [r.lo.getTime(), r.hi.getTime()];
    const a = Math.ceil(lo / HOUR) * HOUR;
    const b = Math.min(floorTo('hour', hi), closedHours);
    if (r.minus || lo < openDays || a >= b) {
      rest.push(r);
      continue;
    }
    if (lo < a) rest.push({ ...r, hi: new Date(a) });
    for (let h = a; h < b; h += HOUR) hours.push({ ...r, lo: new Date(h), hi: new Date(h + HOUR) });
    if (b < hi) rest.push({ ...r, lo: new Date(b) });
  }
  return { hours, live: rest };
}

export interface WindowFigures {
  /** Figures per day of the window, in `plan.days` order, clipped to the window. */
  byDay: Map<string, DayFigures>;
  today: DayFigures;
}

/**
 * The window's figures: closed days from stats_daily and closed hours of the other days from
 * stats_hourly on the read database (missing ones computed once and stored on the write database),
 * and the live ranges (the current hour or two, partial edges) from raw rows.
 */
export async function windowFigures(read: Db, write: Db, w: StatsWindow): Promise<WindowFigures> {
  const plan = planWindow(w);
  const split = planHours(plan.live, w.now);
  const [storedDays, storedHours, live] = await Promise.all([
    storedOrFilled(read, write, 'day', plan.stored),
    storedOrFilled(read, write, 'hour', split.hours.map((h) => bucketName('hour', h.lo.getTime()))),
    // One statement per source *and range*: a union of several small ranges made the planner pick a
    // Parallel Append, whose worker start-up (about 10 ms on the bench machine) cost more than the
    // 1-2 ms of work; single small ranges are planned as plain index scans. They run concurrently.
    Promise.all(split.live.map(async (r) => (await figuresByRange(read, [r])).get(0) ?? new Map<string, DayFigures>())),
  ]);
  const byDay = new Map(plan.days.map((d) => [d, emptyFigures()]));
  for (const d of plan.stored) addFigures(byDay.get(d)!, storedDays.get(d)!);
  const today = emptyFigures();
  const count = (range: LiveRange, d: string, f: DayFigures) => {
    if (range.window && byDay.has(d)) addFigures(byDay.get(d)!, f, range.minus ? -1 : 1);
    if (range.today) addFigures(today, f);
  };
  for (const h of split.hours) count(h, bucketName('day', h.lo.getTime()), storedHours.get(bucketName('hour', h.lo.getTime()))!);
  for (const [i, range] of split.live.entries()) for (const [d, f] of live[i]!) count(range, d, f);
  return { byDay, today };
}
