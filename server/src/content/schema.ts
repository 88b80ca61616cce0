import { sql } from 'drizzle-orm';
import { bigint, boolean, check, doublePrecision, index, integer, pgEnum, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { generations } from '../ai/schema';
import { users } from '../auth/schema';
import { createdAt, intId, updatedAt } from '../db/schema/columns';
import { ASSET_KINDS, POST_STATUSES } from '../../../contract/enums';

export const postStatus = pgEnum('post_status', POST_STATUSES);
export const assetKind = pgEnum('asset_kind', ASSET_KINDS);

export const posts = pgTable(
  'posts',
  {
    id: intId(),
    uuid: uuid('uuid').notNull().unique().defaultRandom(),
    title: text('title').notNull(),
    slug: text('slug').notNull(),
    locale: text('locale').notNull().default('en'),
    status: postStatus('status').notNull().default('draft'),
    description: text('description'),
    coverUrl: text('cover_url'),
    content: text('content').notNull().default(''),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('posts_slug_locale_uq').on(t.slug, t.locale),
    index('posts_author_id_idx').on(t.authorId),
    index('posts_status_idx').on(t.status, t.createdAt),
  ],
);

export const feedbacks = pgTable(
  'feedbacks',
  {
    id: intId(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    rating: integer('rating').notNull(),
    content: text('content'),
    createdAt: createdAt(),
  },
  (t) => [
    index('feedbacks_user_id_idx').on(t.userId),
    index('feedbacks_created_at_idx').on(t.createdAt),
    check('feedbacks_rating_range', sql`${t.rating} between 1 and 5`),
  ],
);

export const brands = pgTable(
  'brands',
  {
    id: intId(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    logoUrl: text('logo_url'),
    primaryColor: text('primary_color'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('brands_user_id_idx').on(t.userId)],
);

export const assets = pgTable(
  'assets',
  {
    id: intId(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    generationId: bigint('generation_id', { mode: 'number' }).references((): AnyPgColumn => generations.id, { onDelete: 'set null' }),
    kind: assetKind('kind').notNull(),
    url: text('url').notNull(),
    title: text('title'),
    // How it was made, copied from the generation so the asset stays self-describing once that is archived.
    prompt: text('prompt'),
    model: text('model'),
    provider: text('provider'),
    // Object-storage keys of the file and its thumbnail; `url` is what the app serves.
    storageKey: text('storage_key'),
    thumbnailKey: text('thumbnail_key'),
    width: integer('width'),
    height: integer('height'),
    fileSizeBytes: bigint('file_size_bytes', { mode: 'number' }),
    costEstimateUsd: doublePrecision('cost_estimate_usd'),
    // Videos only.
    durationSeconds: doublePrecision('duration_seconds'),
    hasAudio: boolean('has_audio'),
    createdAt: createdAt(),
  },
  (t) => [index('assets_user_id_idx').on(t.userId, t.createdAt), index('assets_generation_id_idx').on(t.generationId)],
);

export const assetBrands = pgTable(
  'asset_brands',
  {
    id: intId(),
    assetId: integer('asset_id')
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    brandId: integer('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('asset_brands_asset_brand_uq').on(t.assetId, t.brandId), index('asset_brands_brand_id_idx').on(t.brandId)],
);

export const assetTags = pgTable(
  'asset_tags',
  {
    id: intId(),
    assetId: integer('asset_id')
      .notNull()
      .references(() => assets.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('asset_tags_asset_tag_uq').on(t.assetId, t.tag), index('asset_tags_tag_idx').on(t.tag)],
);

export type Post = typeof posts.$inferSelect;
export type Feedback = typeof feedbacks.$inferSelect;
export type Brand = typeof brands.$inferSelect;
export type Asset = typeof assets.$inferSelect;
