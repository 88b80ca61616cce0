import { sql } from 'drizzle-orm';
import { check, index, integer, pgEnum, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { bigId, createdAt, intId, tstz, updatedAt } from '../db/schema/columns';
import { CREDIT_TRANSACTION_TYPES, ORDER_INTERVALS, ORDER_STATUSES } from '../../../contract/enums';

export const orderStatus = pgEnum('order_status', ORDER_STATUSES);
export const orderInterval = pgEnum('order_interval', ORDER_INTERVALS);
export const creditTransactionType = pgEnum('credit_transaction_type', CREDIT_TRANSACTION_TYPES);

export const orders = pgTable(
  'orders',
  {
    id: intId(),
    orderNo: text('order_no').notNull().unique(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    productId: text('product_id').notNull(),
    productName: text('product_name').notNull(),
    // Money in minor units: floats cannot represent cents exactly.
    amount: integer('amount').notNull(),
    currency: text('currency').notNull().default('usd'),
    status: orderStatus('status').notNull().default('pending'),
    // Credits this order granted when paid; a refund reverses exactly this many.
    credits: integer('credits').notNull().default(0),
    payType: text('pay_type'),
    paidEmail: text('paid_email'),
    subscriptionId: text('subscription_id'),
    interval: orderInterval('interval').notNull().default('one_time'),
    paidAt: tstz('paid_at'),
    refundedAt: tstz('refunded_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('orders_user_id_idx').on(t.userId, t.createdAt),
    index('orders_status_amount_idx').on(t.status, t.amount),
    index('orders_created_at_idx').on(t.createdAt),
    index('orders_paid_at_idx').on(t.paidAt),
    // The dashboard sums refunds by the day they happened; refunded orders are a few percent, so a
    // partial index keeps that a short range scan instead of a pass over every refunded order.
    index('orders_refunded_at_idx').on(t.refundedAt).where(sql`${t.status} = 'refunded'`).concurrently(),
    check('orders_amount_nonnegative', sql`${t.amount} >= 0`),
    check('orders_credits_nonnegative', sql`${t.credits} >= 0`),
  ],
);

export const credits = pgTable(
  'credits',
  {
    id: intId(),
    userId: integer('user_id')
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: 'cascade' }),
    leftCredits: integer('left_credits').notNull().default(0),
    totalCredits: integer('total_credits').notNull().default(0),
    updatedAt: updatedAt(),
  },
  // The database, not only the API, refuses a negative balance: concurrent deducts cannot race past zero.
  (t) => [check('credits_left_nonnegative', sql`${t.leftCredits} >= 0`)],
);

export const creditTransactions = pgTable(
  'credit_transactions',
  {
    id: bigId(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: creditTransactionType('type').notNull(),
    // Signed: grants are positive, spends and reversals negative. Sum per user == credits.left_credits.
    amount: integer('amount').notNull(),
    balanceAfter: integer('balance_after'),
    orderId: integer('order_id').references(() => orders.id, { onDelete: 'set null' }),
    generationId: text('generation_id'),
    description: text('description'),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    // Lets a client retry a grant after a timeout without granting twice.
    idempotencyKey: text('idempotency_key'),
    expiresAt: tstz('expires_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('credit_transactions_user_id_idx').on(t.userId, t.createdAt),
    index('credit_transactions_order_id_idx').on(t.orderId),
    index('credit_transactions_actor_id_idx').on(t.actorId),
    index('credit_transactions_created_at_idx').on(t.createdAt),
    index('credit_transactions_type_idx').on(t.type, t.createdAt),
    uniqueIndex('credit_transactions_idempotency_key_uq').on(t.idempotencyKey),
  ],
);

export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type Credits = typeof credits.$inferSelect;
export type CreditTransaction = typeof creditTransactions.$inferSelect;
export type NewCreditTransaction = typeof creditTransactions.$inferInsert;
