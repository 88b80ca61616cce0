import { randomBytes } from 'node:crypto';
import { and, count, eq, gt, lt, sql } from 'drizzle-orm';
import { verifyPassword } from '../auth/passwords';
import { LOGIN_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from '../auth/rateLimit';
import { SESSION_TTL_MS, type Operator } from '../auth/sessions';
import { sha256 } from '../crypto/secretBox';
import type { UseCaseActor } from '../usecases';
import { ForbiddenError } from '../usecases/domainErrors';
import type { AdoptedAuthDeps } from './operatorSessions';

/**
 * Sign-in for an adopted database: the same password hashing and limits as the built-in mode, over
 * opsroom's operators table instead of the app's users table.
 */

/** How a sign-in ended short of an error: refused for too many failures, a wrong password, or a new session. */
export type AdoptedSignIn =
  | { kind: 'throttled' }
  | { kind: 'wrongCredentials' }
  | { kind: 'signedIn'; operator: Operator; token: string; expiresAt: Date };

/** Books the attempt as failed before the password is checked, then counts (see auth/rateLimit.ts for why). */
async function beginAttempt({ db, dialect }: AdoptedAuthDeps, email: string, ip: string): Promise<number | undefined> {
  const { loginAttempts } = dialect.opsroom;
  const id = await dialect.insertId(db, loginAttempts, { email, ip, succeeded: false, createdAt: new Date() });
  const since = new Date(Date.now() - LOGIN_WINDOW_MS);
  const [account] = await db
    .select({ n: count() })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.email, email),
        eq(loginAttempts.succeeded, false),
        gt(loginAttempts.createdAt, since),
        sql`${loginAttempts.createdAt} > coalesce((select max(s.created_at) from ${loginAttempts} s where s.email = ${email} and s.succeeded), ${sql.raw(dialect.beginningOfTime)})`,
      ),
    );
  const [byIp] = await db.select({ n: count() }).from(loginAttempts).where(and(eq(loginAttempts.ip, ip), eq(loginAttempts.succeeded, false), gt(loginAttempts.createdAt, since)));
  if ((account?.n ?? 0) <= MAX_FAILURES_PER_ACCOUNT && (byIp?.n ?? 0) <= MAX_FAILURES_PER_IP) return id;
  await db.delete(loginAttempts).where(eq(loginAttempts.id, id));
  return undefined;
}

/**
 * Checks the password and opens a session. `presentedToken` is the session cookie the browser sent,
 * revoked here: a fresh token on every sign-in defeats session fixation.
 */
export async function signInAdopted(
  deps: AdoptedAuthDeps,
  actor: UseCaseActor,
  input: { email: string; password: string; userAgent?: string; presentedToken?: string },
): Promise<AdoptedSignIn> {
  const { db } = deps;
  const { operators, operatorSessions, loginAttempts } = deps.dialect.opsroom;
  const ip = actor.ip ?? 'unknown';
  const attempt = await beginAttempt(deps, input.email, ip);
  if (attempt === undefined) return { kind: 'throttled' };
  const [op] = await db.select().from(operators).where(eq(operators.email, input.email)).limit(1);
  const ok = await verifyPassword(input.password, op?.passwordHash);
  if (ok) await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attempt));
  if (!ok || !op) return { kind: 'wrongCredentials' };
  if (op.disabled) throw new ForbiddenError('This operator account is disabled.');

  if (input.presentedToken) await db.delete(operatorSessions).where(eq(operatorSessions.token, sha256(input.presentedToken)));
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.insert(operatorSessions).values({ token: sha256(token), operatorId: op.id, expiresAt, ip, userAgent: input.userAgent?.slice(0, 500), createdAt: new Date() });
  await db.delete(operatorSessions).where(lt(operatorSessions.expiresAt, new Date()));
  return { kind: 'signedIn', operator: { id: op.id, email: op.email, name: op.name ?? op.email, role: op.role }, token, expiresAt };
}
