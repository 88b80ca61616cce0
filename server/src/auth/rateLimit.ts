import { and, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loginAttempts } from '../db/schema';

// Kept in the database, not in memory, so the limits hold across every task behind the load balancer.
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Wrong passwords for one account from one address before that address is refused for it. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Wrong passwords from one address, whatever the accounts, before it is refused. */
export const MAX_FAILURES_PER_IP = 20;
/**
 * Past this many failures for an account (from all addresses together) each further attempt on it
 * waits, doubling up to ACCOUNT_MAX_DELAY_MS. A refusal here would let any stranger lock an
 * operator out; a delay only slows the guessing.
 */
export const ACCOUNT_SLOWDOWN_AFTER = 5;
export const ACCOUNT_BASE_DELAY_MS = 250;
export const ACCOUNT_MAX_DELAY_MS = 2000;
/** Rows of closed windows removed per attempt: bounded work, and more than one attempt adds. */
export const PRUNE_BATCH = 100;

export function accountDelayMs(earlierFailures: number): number {
  if (earlierFailures < ACCOUNT_SLOWDOWN_AFTER) return 0;
  return Math.min(ACCOUNT_BASE_DELAY_MS * 2 ** (earlierFailures - ACCOUNT_SLOWDOWN_AFTER), ACCOUNT_MAX_DELAY_MS);
}

/** Failures on record inside the window, the attempt being made among them. */
async function countFailures(db: Db, email: string, ip: string) {
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  // A count restarts at the last successful sign-in it covers: the pair's at the pair's, the account's at the account's.
  const lastPairSuccess = sql`coalesce((select max(s.created_at) from login_attempts s where s.email = ${email} and s.ip = ${ip} and s.succeeded), '-infinity')`;
  const lastAccountSuccess = sql`coalesce((select max(s.created_at) from login_attempts s where s.email = ${email} and s.succeeded), '-infinity')`;
  const [row] = await db
    .select({
      pair: sql<number>`count(*) filter (where ${loginAttempts.email} = ${email} and ${loginAttempts.ip} = ${ip} and ${loginAttempts.createdAt} > ${lastPairSuccess})`.mapWith(Number),
      byIp: sql<number>`count(*) filter (where ${loginAttempts.ip} = ${ip})`.mapWith(Number),
      account: sql<number>`count(*) filter (where ${loginAttempts.email} = ${email} and ${loginAttempts.createdAt} > ${lastAccountSuccess})`.mapWith(Number),
    })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.succeeded, false), gt(loginAttempts.createdAt, since), or(eq(loginAttempts.email, email), eq(loginAttempts.ip, ip))));
  return { pair: row?.pair ?? 0, byIp: row?.byIp ?? 0, account: row?.account ?? 0 };
}

/**
 * Removes up to PRUNE_BATCH of the oldest rows once their window has closed. Ids grow with time,
 * so the oldest rows are the first of the primary key: bounded work, no extra index.
 */
export async function pruneLoginAttempts(db: Db) {
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  const oldest = db.select({ id: loginAttempts.id }).from(loginAttempts).orderBy(loginAttempts.id).limit(PRUNE_BATCH);
  await db.delete(loginAttempts).where(and(inArray(loginAttempts.id, oldest), lt(loginAttempts.createdAt, since)));
}

export type LoginAttempt = { id: number; delayMs: number };

/**
 * Books a sign-in attempt as failed *before* the password is checked, then counts. Checking first
 * and recording after let concurrent guesses all pass the check before any was recorded (40 at
 * once got 25 password checks against a limit of 5). Now each attempt's count includes every
 * attempt booked before it, so at most the limit ever reach the password.
 *
 * Refused (undefined, the booking withdrawn so waiting out the window works) when this address
 * has failed too often for this account, or at all. Failures for the account from elsewhere only
 * earn a delay: a stranger guessing must not deny the operator their own login.
 */
export async function beginLoginAttempt(db: Db, email: string, ip: string): Promise<LoginAttempt | undefined> {
  await pruneLoginAttempts(db);
  const [row] = await db.insert(loginAttempts).values({ email, ip, succeeded: false }).returning({ id: loginAttempts.id });
  const counts = await countFailures(db, email, ip);
  if (counts.pair > MAX_FAILURES_PER_ACCOUNT || counts.byIp > MAX_FAILURES_PER_IP) {
    await db.delete(loginAttempts).where(eq(loginAttempts.id, row!.id));
    return undefined;
  }
  return { id: row!.id, delayMs: accountDelayMs(counts.account - 1) };
}

/** The password was right: the attempt counts as a success (which restarts the counts it covers). */
export async function loginSucceeded(db: Db, attemptId: number) {
  await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId));
}

/** Single sign-on round trips one address may start per window (each stores a challenge and calls the provider). */
export const MAX_SSO_STARTS_PER_IP = 50;
const SSO_START_KEY = 'sso:start';

/**
 * Books the start of a single sign-on round trip from `ip`; false once the address has started
 * MAX_SSO_STARTS_PER_IP inside the window. Kept in the login attempts as successes under a key no
 * account can have, so they never count toward the password limits of the address.
 */
export async function allowSsoStart(db: Db, ip: string): Promise<boolean> {
  await pruneLoginAttempts(db);
  const [row] = await db.insert(loginAttempts).values({ email: SSO_START_KEY, ip, succeeded: true }).returning({ id: loginAttempts.id });
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  const [counted] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, SSO_START_KEY), eq(loginAttempts.ip, ip), gt(loginAttempts.createdAt, since)));
  if ((counted?.n ?? 0) <= MAX_SSO_STARTS_PER_IP) return true;
  // Withdrawn, like a refused password attempt: waiting out the window is enough.
  await db.delete(loginAttempts).where(eq(loginAttempts.id, row!.id));
  return false;
}
