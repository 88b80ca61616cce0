import { bigint, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from '../auth/schema';
import { bigId, createdAt } from '../db/schema/columns';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigId(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    // Copied so the trail still names who acted after that operator is deleted.
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    resource: text('resource').notNull(),
    recordId: text('record_id'),
    before: jsonb('before').$type<Record<string, unknown> | null>(),
    after: jsonb('after').$type<Record<string, unknown> | null>(),
    ip: text('ip'),
    requestId: text('request_id'),
    // Four-eyes: the second admin who approved the change (the actor is the one who asked for it).
    approvedById: integer('approved_by_id'),
    approvedByEmail: text('approved_by_email'),
    // Set on a revert: the audit row whose change was undone.
    revertsId: bigint('reverts_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_resource_record_idx').on(t.resource, t.recordId, t.createdAt),
    index('audit_log_actor_id_idx').on(t.actorId, t.createdAt),
    index('audit_log_created_at_idx').on(t.createdAt),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;
