import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgEnum, pgTable, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { generations } from '../ai/schema';
import { users } from '../auth/schema';
import { bigId, createdAt, intId, tstz, updatedAt } from '../db/schema/columns';
import { BADGE_CATEGORIES, XP_SOURCES } from '../../../contract/enums';

export const badgeCategory = pgEnum('badge_category', BADGE_CATEGORIES);
export const xpSource = pgEnum('xp_source', XP_SOURCES);

export const badges = pgTable('badges', {
  // Stable slugs ('first_brew') so the app's code can refer to a badge across environments.
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  // A Lucide icon name in kebab-case ('flask-conical'), as the app's badge shelf renders it.
  icon: text('icon').notNull(),
  category: badgeCategory('category').notNull(),
  xpReward: integer('xp_reward').notNull().default(0),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const userBadges = pgTable(
  'user_badges',
  {
    id: intId(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    badgeId: text('badge_id')
      .notNull()
      .references(() => badges.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
    awardedBy: integer('awarded_by').references(() => users.id, { onDelete: 'set null' }),
    awardedAt: tstz('awarded_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('user_badges_user_badge_uq').on(t.userId, t.badgeId),
    index('user_badges_badge_id_idx').on(t.badgeId),
    index('user_badges_awarded_by_idx').on(t.awardedBy),
  ],
);

export const userXp = pgTable(
  'user_xp',
  {
    id: intId(),
    userId: integer('user_id')
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: 'cascade' }),
    totalXp: integer('total_xp').notNull().default(0),
    level: integer('level').notNull().default(1),
    updatedAt: updatedAt(),
  },
  (t) => [check('user_xp_total_nonnegative', sql`${t.totalXp} >= 0`)],
);

export const xpTransactions = pgTable(
  'xp_transactions',
  {
    id: bigId(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    amount: integer('amount').notNull(),
    source: xpSource('source').notNull(),
    // The badge id of a badge_reward; generation entries point at their generation instead.
    referenceId: text('reference_id'),
    generationId: bigint('generation_id', { mode: 'number' }).references((): AnyPgColumn => generations.id, { onDelete: 'set null' }),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [
    index('xp_transactions_user_id_idx').on(t.userId, t.createdAt),
    index('xp_transactions_generation_id_idx').on(t.generationId).concurrently(),
  ],
);

export type Badge = typeof badges.$inferSelect;
export type NewBadge = typeof badges.$inferInsert;
export type UserBadge = typeof userBadges.$inferSelect;
export type UserXp = typeof userXp.$inferSelect;
export type XpTransaction = typeof xpTransactions.$inferSelect;
