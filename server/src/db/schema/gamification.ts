import { sql } from 'drizzle-orm';
import { check, index, integer, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { bigId, createdAt, intId, tstz, updatedAt } from './columns';
import { BADGE_CATEGORIES, XP_SOURCES } from '../../../../contract/enums';

export const badgeCategory = pgEnum('badge_category', BADGE_CATEGORIES);
export const xpSource = pgEnum('xp_source', XP_SOURCES);

export const badges = pgTable('badges', {
  // Stable slugs ('first_brew') so the app's code can refer to a badge across environments.
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
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
    referenceId: text('reference_id'),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [index('xp_transactions_user_id_idx').on(t.userId, t.createdAt)],
);

export type Badge = typeof badges.$inferSelect;
export type NewBadge = typeof badges.$inferInsert;
export type UserBadge = typeof userBadges.$inferSelect;
export type UserXp = typeof userXp.$inferSelect;
export type XpTransaction = typeof xpTransactions.$inferSelect;
