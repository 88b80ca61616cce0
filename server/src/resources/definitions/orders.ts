import { orders } from '../../db/schema';
import { defineResource } from '../types';

// Orders come from the payment provider; operators change them through refund, not by editing.
export default defineResource(orders, {
  name: 'orders',
  search: ['order_no', 'paid_email', 'product_name'],
  readOnly: true,
  defaultSort: ['created_at', 'DESC'],
});
