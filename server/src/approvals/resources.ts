import { sql } from 'drizzle-orm';
import { approvalRequests } from '../db/schema';
import { defineResource } from '../resources/types';

// Written only by the approval use cases. The stored input stays on the server: it can hold a
// sealed provider key, and the summary says what the request would do. The idempotency key is the
// requester's retry token, no one else's business.
export const approvalRequestsResource = defineResource(approvalRequests, {
  name: 'approval_requests',
  search: ['summary', 'requested_by_email'],
  hidden: ['input', 'idempotency_key'],
  readOnly: true,
  defaultSort: ['created_at', 'DESC'],
  segments: {
    // Still pending and not yet past its expiry: what an approver can act on.
    open: sql`${approvalRequests.status} = 'pending' and ${approvalRequests.expiresAt} > now()`,
  },
});
