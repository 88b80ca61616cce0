import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { bigId, createdAt, intId, tstz, updatedAt } from '../db/schema/columns';
import { AI_TYPES, API_KEY_STATUSES, GENERATION_STATUSES } from '../../../contract/enums';
import { assets } from '../content/schema';

export const aiType = pgEnum('ai_type', AI_TYPES);
export const generationStatus = pgEnum('generation_status', GENERATION_STATUSES);
export const apiKeyStatus = pgEnum('api_key_status', API_KEY_STATUSES);

export const generations = pgTable(
  'generations',
  {
    id: bigId(),
    genId: text('gen_id').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    aiType: aiType('ai_type').notNull(),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    prompt: text('prompt').notNull(),
    resultUrls: jsonb('result_urls').$type<string[]>().notNull().default([]),
    status: generationStatus('status').notNull().default('pending'),
    providerJobId: text('provider_job_id'),
    creditsCost: integer('credits_cost').notNull().default(0),
    costEstimateUsd: doublePrecision('cost_estimate_usd'),
    durationMs: integer('duration_ms'),
    xpEarned: integer('xp_earned').notNull().default(0),
    // Set when the generation completes: the asset it produced.
    assetId: integer('asset_id').references((): AnyPgColumn => assets.id, { onDelete: 'set null' }),
    error: text('error'),
    createdAt: createdAt(),
    completedAt: tstz('completed_at'),
  },
  (t) => [
    index('generations_user_id_idx').on(t.userId, t.createdAt),
    // The console's usual filter: a status and a provider over a date range.
    index('generations_status_provider_created_idx').on(t.status, t.provider, t.createdAt),
    index('generations_created_at_idx').on(t.createdAt),
    index('generations_asset_id_idx').on(t.assetId).concurrently(),
    check('generations_credits_cost_nonnegative', sql`${t.creditsCost} >= 0`),
  ],
);

export const aiProviderKeys = pgTable('ai_provider_keys', {
  id: intId(),
  provider: text('provider').notNull().unique(),
  label: text('label'),
  // AES-256-GCM envelope `v<keyVersion>:<iv>:<tag>:<ciphertext>`; never leaves the server.
  encryptedKey: text('encrypted_key').notNull(),
  keyVersion: integer('key_version').notNull().default(1),
  lastFour: text('last_four').notNull(),
  modelConfig: jsonb('model_config').$type<Record<string, unknown>>().notNull().default({}),
  enabled: boolean('enabled').notNull().default(true),
  rotatedAt: tstz('rotated_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: intId(),
    name: text('name').notNull(),
    // SHA-256 of the key: the plaintext is shown once at creation and never stored.
    keyHash: text('key_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: apiKeyStatus('status').notNull().default('active'),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('api_keys_user_id_idx').on(t.userId), index('api_keys_status_idx').on(t.status)],
);

export type Generation = typeof generations.$inferSelect;
export type NewGeneration = typeof generations.$inferInsert;
export type AiProviderKey = typeof aiProviderKeys.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
