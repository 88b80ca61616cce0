import { affiliates, waitlist } from '../db/schema';
import { email } from '../resources/refinements';
import { defineResource } from '../resources/types';

// Commission status moves only through approve/pay/refund, each audited.
export const affiliatesResource = defineResource(affiliates, {
  name: 'affiliates',
  search: ['customer_email'],
  readOnly: true,
  defaultSort: ['created_at', 'DESC'],
});

export const waitlistResource = defineResource(waitlist, {
  name: 'waitlist',
  search: ['email', 'source'],
  creatable: ['email', 'source'],
  refine: { email },
  defaultSort: ['created_at', 'DESC'],
});
