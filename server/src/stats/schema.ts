import { bigint, date, integer, jsonb, pgTable } from 'drizzle-orm/pg-core';
import { tstz } from '../db/schema/columns';

/** The figure columns stats_daily and stats_hourly share, for one bucket (a UTC day or hour). Money in cents. */
const figureColumns = () => ({
  /** Amounts of orders paid in the bucket (paid or since refunded). Revenue = paid_amount − refunded_amount. */
  paidAmount: bigint('paid_amount', { mode: 'number' }).notNull().default(0),
  /** Amounts refunded in the bucket, by refunded_at. */
  refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
  /** App users (role member) created in the bucket. */
  signups: integer('signups').notNull().default(0),
  generations: integer('generations').notNull().default(0),
  /** Sum of positive ledger amounts. */
  creditsGranted: bigint('credits_granted', { mode: 'number' }).notNull().default(0),
  /** Minus the sum of ai_generation ledger amounts. */
  creditsSpent: bigint('credits_spent', { mode: 'number' }).notNull().default(0),
  /** Generations created in the bucket by status, e.g. {"completed": 812, "failed": 9}. */
  generationsByStatus: jsonb('generations_by_status').$type<Record<string, number>>().notNull().default({}),
  generationsByProvider: jsonb('generations_by_provider').$type<Record<string, number>>().notNull().default({}),
});

/**
 * One row per closed UTC day: the dashboard's figures for that day, so GET /api/stats reads a
 * handful of rows instead of aggregating every ledger entry and generation in its window.
 * Written by the stats endpoint the first time a closed day is asked for, and by
 * POST /api/stats/refresh (see server/src/stats/rollup.ts for when a day counts as closed).
 * Money in cents, like orders.amount.
 */
export const statsDaily = pgTable('stats_daily', {
  day: date('day', { mode: 'string' }).primaryKey(),
  ...figureColumns(),
  computedAt: tstz('computed_at').notNull().defaultNow(),
});

export type StatsDay = typeof statsDaily.$inferSelect;
export type NewStatsDay = typeof statsDaily.$inferInsert;

/**
 * One row per closed UTC hour of the days that are not closed yet (today, and yesterday until
 * 01:00 UTC): the same figures as stats_daily, so GET /api/stats aggregates only the last hour or
 * two of raw rows instead of a whole day. An hour is closed, like a day, once it ended more than an
 * hour ago (see server/src/stats/rollup.ts). Rows older than three days are pruned when hours are
 * stored: by then their day is in stats_daily, which is computed from the raw rows, not from these.
 */
export const statsHourly = pgTable('stats_hourly', {
  /** Start of the UTC hour. */
  hour: tstz('hour').primaryKey(),
  ...figureColumns(),
  computedAt: tstz('computed_at').notNull().defaultNow(),
});

export type StatsHour = typeof statsHourly.$inferSelect;
