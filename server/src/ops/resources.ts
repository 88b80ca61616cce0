import { auditLog } from '../db/schema';
import { defineResource } from '../resources/types';

// The audit trail is evidence: nobody, admins included, edits or deletes it through the API.
export const auditLogResource = defineResource(auditLog, {
  name: 'audit_log',
  search: ['actor_email', 'action', 'resource', 'record_id'],
  readOnly: true,
  defaultSort: ['created_at', 'DESC'],
});
