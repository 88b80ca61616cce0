import { bigint, date, integer, jsonb, pgTable } from 'drizzle-orm/pg-core';
import { tstz } from './columns';

/**
 * One row per closed UTC day: the dashboard's figures for that day, so GET /api/stats reads a
 * handful of rows instead of aggregating every ledger entry and generation in its window.
 * Written by the stats endpoint the first time a closed day is asked for, and by
 * POST /api/stats/refresh (see server/src/stats/rollup.ts for when a day counts as closed).
 * Money in cents, like orders.amount.
 */
export const statsDaily = pgTable('stats_daily', {
  day: date('day', { mode: 'string' }).primaryKey(),
  /** Amounts of orders paid that day (paid or since refunded). Revenue = paid_amount − refunded_amount. */
  paidAmount: bigint('paid_amount', { mode: 'number' }).notNull().default(0),
  /** Amounts refunded that day, by refunded_at. */
  refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
  /** App users (role member) created that day. */
  signups: integer('signups').notNull().default(0),
  generations: integer('generations').notNull().default(0),
  /** Sum of positive ledger amounts. */
  creditsGranted: bigint('credits_granted', { mode: 'number' }).notNull().default(0),
  /** Minus the sum of ai_generation ledger amounts. */
  creditsSpent: bigint('credits_spent', { mode: 'number' }).notNull().default(0),
  /** Generations created that day by status, e.g. {"completed": 812, "failed": 9}. */
  generationsByStatus: jsonb('generations_by_status').$type<Record<string, number>>().notNull().default({}),
  generationsByProvider: jsonb('generations_by_provider').$type<Record<string, number>>().notNull().default({}),
  computedAt: tstz('computed_at').notNull().defaultNow(),
});

export type StatsDay = typeof statsDaily.$inferSelect;
export type NewStatsDay = typeof statsDaily.$inferInsert;
