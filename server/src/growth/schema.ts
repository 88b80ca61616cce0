import { sql } from 'drizzle-orm';
import { check, index, integer, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { orders } from '../billing/schema';
import { createdAt, intId, tstz, updatedAt } from '../db/schema/columns';
import { AFFILIATE_STATUSES } from '../../../contract/enums';

// `reversed`: the order behind an unpaid commission was refunded, so it will never be paid.
export const affiliateStatus = pgEnum('affiliate_status', AFFILIATE_STATUSES);

export const affiliates = pgTable(
  'affiliates',
  {
    id: intId(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    orderId: integer('order_id')
      .unique()
      .references(() => orders.id, { onDelete: 'set null' }),
    customerEmail: text('customer_email'),
    orderAmount: integer('order_amount').notNull().default(0),
    // Basis points (2000 = 20%) keep commission maths in integers.
    commissionRateBps: integer('commission_rate_bps').notNull().default(2000),
    commissionAmount: integer('commission_amount').notNull().default(0),
    status: affiliateStatus('status').notNull().default('pending'),
    approvedAt: tstz('approved_at'),
    paidAt: tstz('paid_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('affiliates_user_id_idx').on(t.userId),
    index('affiliates_status_idx').on(t.status, t.createdAt),
    check('affiliates_rate_range', sql`${t.commissionRateBps} between 0 and 10000`),
  ],
);

export const waitlist = pgTable(
  'waitlist',
  {
    id: intId(),
    email: text('email').notNull().unique(),
    source: text('source'),
    createdAt: createdAt(),
  },
  (t) => [index('waitlist_created_at_idx').on(t.createdAt)],
);

export type Affiliate = typeof affiliates.$inferSelect;
export type WaitlistEntry = typeof waitlist.$inferSelect;
