import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { sha256 } from '../crypto/secretBox';
import type { Db } from '../db/client';
import { operatorSessions, users, type User } from '../db/schema';

export const SESSION_COOKIE = 'opsroom_session';
export const CSRF_COOKIE = 'opsroom_csrf';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export type Operator = Pick<User, 'id' | 'email' | 'name' | 'role'>;

export async function createSession(db: Db, userId: number, meta: { ip?: string; userAgent?: string }) {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.insert(operatorSessions).values({ token: sha256(token), operatorId: userId, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 500) });
  // Expired rows are swept on each login rather than by a cron nobody remembers to run.
  await db.delete(operatorSessions).where(lt(operatorSessions.expiresAt, new Date()));
  return { token, expiresAt };
}

/** The operator behind a session token, or undefined when it is unknown, expired, banned or not staff. */
export async function findOperator(db: Db, token: string): Promise<Operator | undefined> {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, banned: users.banned })
    .from(operatorSessions)
    .innerJoin(users, eq(users.id, operatorSessions.operatorId))
    .where(and(eq(operatorSessions.token, sha256(token)), gt(operatorSessions.expiresAt, new Date())))
    .limit(1);
  if (!row || row.banned || row.role === 'member') return undefined;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export async function deleteSession(db: Db, token: string) {
  await db.delete(operatorSessions).where(eq(operatorSessions.token, sha256(token)));
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
