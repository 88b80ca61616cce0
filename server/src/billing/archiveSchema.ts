import { bigint, doublePrecision, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { aiType, generationStatus } from '../ai/schema';
import { creditTransactionType } from './schema';
import { tstz } from '../db/schema/columns';

/**
 * Rows `npm run db:archive` moved out of the hot tables: the same columns, no foreign keys (the
 * rows they pointed at may be gone by the time anyone reads these) and the moment of the move.
 * A user's balance equals the sum of their credit_transactions plus credit_transactions_archive.
 */
const archivedAt = () => tstz('archived_at').notNull().defaultNow();

export const generationsArchive = pgTable(
  'generations_archive',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    genId: text('gen_id').notNull(),
    userId: integer('user_id').notNull(),
    aiType: aiType('ai_type').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    prompt: text('prompt').notNull(),
    resultUrls: jsonb('result_urls').$type<string[]>().notNull(),
    status: generationStatus('status').notNull(),
    providerJobId: text('provider_job_id'),
    creditsCost: integer('credits_cost').notNull(),
    costEstimateUsd: doublePrecision('cost_estimate_usd'),
    durationMs: integer('duration_ms'),
    xpEarned: integer('xp_earned').notNull(),
    assetId: integer('asset_id'),
    error: text('error'),
    createdAt: tstz('created_at').notNull(),
    completedAt: tstz('completed_at'),
    archivedAt: archivedAt(),
  },
  (t) => [index('generations_archive_user_id_idx').on(t.userId, t.createdAt)],
);

export const creditTransactionsArchive = pgTable(
  'credit_transactions_archive',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    userId: integer('user_id').notNull(),
    type: creditTransactionType('type').notNull(),
    amount: integer('amount').notNull(),
    balanceAfter: integer('balance_after'),
    orderId: integer('order_id'),
    generationId: text('generation_id'),
    description: text('description'),
    actorId: integer('actor_id'),
    idempotencyKey: text('idempotency_key'),
    expiresAt: tstz('expires_at'),
    createdAt: tstz('created_at').notNull(),
    archivedAt: archivedAt(),
  },
  (t) => [index('credit_transactions_archive_user_id_idx').on(t.userId, t.createdAt)],
);

export type ArchivedGeneration = typeof generationsArchive.$inferSelect;
export type ArchivedCreditTransaction = typeof creditTransactionsArchive.$inferSelect;
