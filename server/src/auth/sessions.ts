import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, inArray, lt } from 'drizzle-orm';
import { sha256 } from '../crypto/secretBox';
import type { Db, Tx } from '../db/client';
import { operatorSessions, sessions, users, type User } from '../db/schema';
import type { SessionCache } from './sessionCache';

export const SESSION_COOKIE = 'opsroom_session';
export const CSRF_COOKIE = 'opsroom_csrf';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export type Operator = Pick<User, 'id' | 'email' | 'name' | 'role'>;

export async function createSession(db: Db, userId: number, meta: { ip?: string; userAgent?: string }) {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.insert(operatorSessions).values({ token: sha256(token), userId, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 500) });
  await pruneExpiredSessions(db);
  return { token, expiresAt };
}

/** Rows removed per sign-in: more than one sign-in adds, and never an unbounded delete. */
export const SESSION_PRUNE_BATCH = 100;

// Expired rows are swept on each login rather than by a cron nobody remembers to run.
export async function pruneExpiredSessions(db: Db | Tx) {
  const expired = db
    .select({ id: operatorSessions.id })
    .from(operatorSessions)
    .where(lt(operatorSessions.expiresAt, new Date()))
    .orderBy(operatorSessions.expiresAt)
    .limit(SESSION_PRUNE_BATCH);
  await db.delete(operatorSessions).where(inArray(operatorSessions.id, expired));
}

/**
 * Signs a user out of the console. Everything that must end a user's sessions (a ban, a role
 * change, a password reset) calls this one function, so a session cache has one place to hook.
 * `app: true` ends the app's own sessions too (what its auth library reads), for a ban, which
 * must take effect in the app at once.
 */
export async function endSessionsOf(db: Db | Tx, userId: number, opts: { app?: boolean } = {}): Promise<number> {
  const ended = await db.delete(operatorSessions).where(eq(operatorSessions.userId, userId)).returning({ id: operatorSessions.id });
  const appEnded = opts.app ? await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id }) : [];
  return ended.length + appEnded.length;
}

/** The operator behind a session token, or undefined when it is unknown, expired, banned or not staff. */
export async function findOperator(db: Db, token: string, cache?: SessionCache): Promise<Operator | undefined> {
  const hash = sha256(token);
  const cached = cache?.get(hash);
  if (cached) return cached;
  const ticket = cache?.ticket();
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, banned: users.banned, expiresAt: operatorSessions.expiresAt })
    .from(operatorSessions)
    .innerJoin(users, eq(users.id, operatorSessions.userId))
    .where(and(eq(operatorSessions.token, hash), gt(operatorSessions.expiresAt, new Date())))
    .limit(1);
  if (!row || row.banned || row.role === 'member') return undefined;
  const operator = { id: row.id, email: row.email, name: row.name, role: row.role };
  cache?.set(ticket!, hash, operator, row.expiresAt);
  return operator;
}

export async function deleteSession(db: Db, token: string, cache?: SessionCache) {
  const hash = sha256(token);
  await db.delete(operatorSessions).where(eq(operatorSessions.token, hash));
  // The trigger's NOTIFY reaches every task a moment later; this one forgets it before answering.
  cache?.dropToken(hash);
}

/**
 * The CSRF token is derived from the session token, so nothing extra is stored and it dies with the
 * session. The console echoes it in X-CSRF-Token; a cross-site form can neither read nor send it.
 */
export function csrfTokenFor(secret: Buffer | string, sessionToken: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

export function csrfMatches(secret: Buffer | string, sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(secret, sessionToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
