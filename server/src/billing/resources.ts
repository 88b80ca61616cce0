import { credits, creditTransactions, orders } from '../db/schema';
import { defineResource } from '../resources/types';

// Balances and the ledger move together, only through the credits action, so they never disagree.
export const creditsResource = defineResource(credits, { name: 'credits', readOnly: true, defaultSort: ['updated_at', 'DESC'] });

export const creditTransactionsResource = defineResource(creditTransactions, {
  name: 'credit_transactions',
  search: ['description', 'generation_id'],
  hidden: ['idempotency_key'],
  readOnly: true,
  defaultSort: ['created_at', 'DESC'],
});

// Orders come from the payment provider; operators change them through refund, not by editing.
export const ordersResource = defineResource(orders, {
  name: 'orders',
  search: ['order_no', 'paid_email', 'product_name'],
  readOnly: true,
  defaultSort: ['created_at', 'DESC'],
});
