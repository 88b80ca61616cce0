import { bigint, boolean, customType, datetime, index, int, mysqlEnum, mysqlSchema, mysqlTable, text, varchar } from 'drizzle-orm/mysql-core';

/**
 * opsroom's own state on an adopted MySQL/MariaDB database: the same tables as `../schema.ts`,
 * named `opsroom_*` so they read as opsroom's wherever they sit. They live in a database of their
 * own next to the app's (`<app>_opsroom`) when the account may create one, and in the app's
 * database otherwise; `database` says which, so the SQL names the table fully in the first case.
 * drizzle-kit generates the migrations from the unqualified objects exported at the bottom.
 */

/**
 * JSON that survives MariaDB, whose JSON type is LONGTEXT: the driver hands back a string there,
 * and a string would otherwise come back out of the audit log as text rather than the object.
 * MySQL 8's driver has already parsed it, so a JSON string value arrives as plain text: kept as is.
 */
export const jsonValue = customType<{ data: unknown; driverData: string }>({
  dataType: () => 'json',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  },
});

// Millisecond precision, as on Postgres: JavaScript dates carry milliseconds.
const at = (name: string) => datetime(name, { mode: 'date', fsp: 3 });

export function opsroomMysqlTables(database?: string) {
  const table = (database ? mysqlSchema(database).table : mysqlTable) as typeof mysqlTable;
  const operators = table('opsroom_operators', {
    id: int('id').primaryKey().autoincrement(),
    email: varchar('email', { length: 320 }).notNull().unique('opsroom_operators_email_unique'),
    name: varchar('name', { length: 320 }),
    role: mysqlEnum('role', ['support', 'admin']).notNull().default('support'),
    passwordHash: text('password_hash'),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: at('created_at').notNull().$defaultFn(() => new Date()),
    updatedAt: at('updated_at').notNull().$defaultFn(() => new Date()).$onUpdate(() => new Date()),
  });
  const operatorSessions = table(
    'opsroom_operator_sessions',
    {
      id: int('id').primaryKey().autoincrement(),
      // A SHA-256 of the bearer token: a leaked table must not sign anyone in.
      token: varchar('token', { length: 64 }).notNull().unique('opsroom_operator_sessions_token_unique'),
      operatorId: int('operator_id')
        .notNull()
        .references(() => operators.id, { onDelete: 'cascade' }),
      expiresAt: at('expires_at').notNull(),
      ip: varchar('ip', { length: 100 }),
      userAgent: varchar('user_agent', { length: 500 }),
      createdAt: at('created_at').notNull().$defaultFn(() => new Date()),
    },
    (t) => [index('opsroom_operator_sessions_expires_at_idx').on(t.expiresAt)],
  );
  const loginAttempts = table(
    'opsroom_login_attempts',
    {
      id: int('id').primaryKey().autoincrement(),
      email: varchar('email', { length: 320 }).notNull(),
      ip: varchar('ip', { length: 100 }).notNull(),
      succeeded: boolean('succeeded').notNull(),
      createdAt: at('created_at').notNull().$defaultFn(() => new Date()),
    },
    (t) => [index('opsroom_login_attempts_email_idx').on(t.email, t.createdAt), index('opsroom_login_attempts_ip_idx').on(t.ip, t.createdAt)],
  );
  const auditLog = table(
    'opsroom_audit_log',
    {
      id: bigint('id', { mode: 'number' }).primaryKey().autoincrement(),
      actorId: int('actor_id').references(() => operators.id, { onDelete: 'set null' }),
      actorEmail: varchar('actor_email', { length: 320 }),
      action: varchar('action', { length: 100 }).notNull(),
      resource: varchar('resource', { length: 200 }).notNull(),
      recordId: varchar('record_id', { length: 500 }),
      before: jsonValue('before'),
      after: jsonValue('after'),
      ip: varchar('ip', { length: 100 }),
      requestId: varchar('request_id', { length: 100 }),
      approvedById: int('approved_by_id'),
      approvedByEmail: varchar('approved_by_email', { length: 320 }),
      revertsId: bigint('reverts_id', { mode: 'number' }),
      createdAt: at('created_at').notNull().$defaultFn(() => new Date()),
    },
    (t) => [index('opsroom_audit_log_resource_record_idx').on(t.resource, t.recordId, t.createdAt), index('opsroom_audit_log_created_at_idx').on(t.createdAt)],
  );
  const idempotencyKeys = table('opsroom_idempotency_keys', {
    key: varchar('key', { length: 512 }).primaryKey(),
    operatorId: int('operator_id').references(() => operators.id, { onDelete: 'cascade' }),
    request: jsonValue('request').notNull(),
    response: jsonValue('response').notNull(),
    createdAt: at('created_at').notNull().$defaultFn(() => new Date()),
  });
  return { operators, operatorSessions, loginAttempts, auditLog, idempotencyKeys };
}

const unqualified = opsroomMysqlTables();
export const opsroomOperators = unqualified.operators;
export const opsroomOperatorSessions = unqualified.operatorSessions;
export const opsroomLoginAttempts = unqualified.loginAttempts;
export const opsroomAuditLog = unqualified.auditLog;
export const opsroomIdempotencyKeys = unqualified.idempotencyKeys;
