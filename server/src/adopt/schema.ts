import { bigint, boolean, index, integer, jsonb, pgSchema, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz, updatedAt } from '../db/schema/columns';

/**
 * opsroom's own state on an adopted database. Everything lives in the `opsroom` schema, so the
 * app's schema never sees a table, index or trigger of ours; these migrations are the only DDL
 * opsroom runs there. Operators are not the app's users: the app's `role` column is its business.
 */
export const opsroom = pgSchema('opsroom');

export const operatorRole = opsroom.enum('operator_role', ['support', 'admin']);

export const operators = opsroom.table('operators', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  email: text('email').notNull().unique(),
  name: text('name'),
  role: operatorRole('role').notNull().default('support'),
  passwordHash: text('password_hash'),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const operatorSessions = opsroom.table(
  'operator_sessions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    // A SHA-256 of the bearer token: a leaked table must not sign anyone in.
    token: text('token').notNull().unique(),
    operatorId: integer('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    expiresAt: tstz('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [index('operator_sessions_operator_id_idx').on(t.operatorId), index('operator_sessions_expires_at_idx').on(t.expiresAt)],
);

export const loginAttempts = opsroom.table(
  'login_attempts',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    succeeded: boolean('succeeded').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('login_attempts_email_idx').on(t.email, t.createdAt), index('login_attempts_ip_idx').on(t.ip, t.createdAt)],
);

export const auditLog = opsroom.table(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    actorId: integer('actor_id').references(() => operators.id, { onDelete: 'set null' }),
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    resource: text('resource').notNull(),
    recordId: text('record_id'),
    before: jsonb('before').$type<Record<string, unknown> | null>(),
    after: jsonb('after').$type<Record<string, unknown> | null>(),
    ip: text('ip'),
    requestId: text('request_id'),
    // Same columns as the built-in audit_log, so one writer serves both.
    approvedById: integer('approved_by_id'),
    approvedByEmail: text('approved_by_email'),
    revertsId: bigint('reverts_id', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_resource_record_idx').on(t.resource, t.recordId, t.createdAt), index('audit_log_created_at_idx').on(t.createdAt)],
);

export const idempotencyKeys = opsroom.table('idempotency_keys', {
  key: text('key').primaryKey(),
  operatorId: integer('operator_id').references(() => operators.id, { onDelete: 'cascade' }),
  request: jsonb('request').$type<unknown>().notNull(),
  response: jsonb('response').$type<unknown>().notNull(),
  createdAt: createdAt(),
});

export type OperatorRow = typeof operators.$inferSelect;
