import { and, count, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loginAttempts } from '../db/schema';

// Kept in the database, not in memory, so the limit holds across every task behind the load balancer.
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

/** Whether the failures on record (the attempt being made counted among them) pass a limit. */
async function overLimit(db: Db, email: string, ip: string): Promise<boolean> {
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  // An account's count restarts at its last successful sign-in; an IP's does not.
  const [account] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.email, email),
        eq(loginAttempts.succeeded, false),
        gt(loginAttempts.createdAt, since),
        sql`${loginAttempts.createdAt} > coalesce((select max(created_at) from login_attempts s where s.email = ${email} and s.succeeded), '-infinity')`,
      ),
    );
  if ((account?.n ?? 0) > MAX_FAILURES_PER_ACCOUNT) return true;
  const [byIp] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.ip, ip), eq(loginAttempts.succeeded, false), gt(loginAttempts.createdAt, since)));
  return (byIp?.n ?? 0) > MAX_FAILURES_PER_IP;
}

/**
 * Books a sign-in attempt as failed *before* the password is checked, then counts. Checking first
 * and recording after let concurrent guesses all pass the check before any was recorded (40 at
 * once got 25 password checks against a limit of 5). Now each attempt's count includes every
 * attempt booked before it, so at most the limit ever reach the password. Returns the attempt's
 * id, or undefined when blocked (the booking is withdrawn, so waiting out the window works).
 */
export async function beginLoginAttempt(db: Db, email: string, ip: string): Promise<number | undefined> {
  const [row] = await db.insert(loginAttempts).values({ email, ip, succeeded: false }).returning({ id: loginAttempts.id });
  if (!(await overLimit(db, email, ip))) return row!.id;
  await db.delete(loginAttempts).where(eq(loginAttempts.id, row!.id));
  return undefined;
}

/** The password was right: the attempt counts as a success (which restarts the account's count). */
export async function loginSucceeded(db: Db, attemptId: number) {
  await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId));
}
