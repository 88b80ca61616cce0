import { randomBytes } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import type { OperatorRole } from '../../../contract';
import type { Db } from '../db/client';
import { users, type User } from '../db/schema';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords';
import { endSessionsOf } from './sessions';

export class OperatorError extends Error {}

export interface OperatorInput {
  email: string;
  password: string;
  role: OperatorRole;
  name?: string;
  /** Set a new password (and role) on an existing account instead of refusing. */
  reset?: boolean;
}

/** Creates a console operator, or with `reset` re-keys an existing one. Never a default password. */
export async function upsertOperator(db: Db, input: OperatorInput): Promise<{ id: number; created: boolean }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new OperatorError(`"${input.email}" is not an email address.`);
  if (input.password.length < MIN_PASSWORD_LENGTH) throw new OperatorError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  const passwordHash = await hashPassword(input.password);
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (existing) {
    if (!input.reset) throw new OperatorError(`${email} already exists. Pass --reset to set a new password and role.`);
    // A reset is what one does after a leak: the sessions made with the old password end with it.
    await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash, role: input.role, banned: false, ...(input.name ? { name: input.name } : {}) }).where(eq(users.id, existing.id));
      await endSessionsOf(tx, existing.id);
    });
    return { id: existing.id, created: false };
  }
  const [row] = await db.insert(users).values({ email, name: input.name ?? email.split('@')[0], role: input.role, passwordHash }).returning({ id: users.id });
  return { id: row!.id, created: true };
}

/** The account behind a sign-in (by email) or a sign-in step (by id), with what the login rules read. */
export async function findAccount(db: Db, by: { email: string } | { id: number }): Promise<User | undefined> {
  const [user] = await db.select().from(users).where('email' in by ? eq(users.email, by.email) : eq(users.id, by.id)).limit(1);
  return user;
}

export const DEMO_ADMIN_EMAIL = 'admin@opsroom.local';

/**
 * The embedded demo gets one admin with a random password, printed once. No operator, no login:
 * a fixed default password would end up on the internet sooner or later.
 */
export async function ensureDemoOperator(db: Db): Promise<{ email: string; password: string } | undefined> {
  const [any] = await db.select({ id: users.id }).from(users).where(and(ne(users.role, 'member'))).limit(1);
  if (any) return undefined;
  const password = randomBytes(12).toString('base64url');
  await upsertOperator(db, { email: DEMO_ADMIN_EMAIL, password, role: 'admin', name: 'Demo admin' });
  return { email: DEMO_ADMIN_EMAIL, password };
}
