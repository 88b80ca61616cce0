import { bigint, integer, timestamp } from 'drizzle-orm/pg-core';

// Millisecond precision on purpose: JavaScript dates carry milliseconds, and the edit form sends
// `updated_at` back for optimistic concurrency. With Postgres' default microseconds the value a
// client echoes could never equal the stored one.
export const tstz = <N extends string>(name: N) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

export const createdAt = () => tstz('created_at').notNull().defaultNow();
export const updatedAt = () =>
  tstz('updated_at')
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const intId = () => integer('id').primaryKey().generatedByDefaultAsIdentity();
// High-volume tables (ledgers, generations, audit) outgrow int4 in a busy app's lifetime.
export const bigId = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
