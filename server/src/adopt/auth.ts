import { randomBytes } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { and, count, eq, gt, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { csrfSecret, sessionTokenOf } from '../auth/middleware';
import { verifyPassword } from '../auth/passwords';
import { LOGIN_WINDOW_MS, MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP } from '../auth/rateLimit';
import { CSRF_COOKIE, csrfMatches, csrfTokenFor, SESSION_COOKIE, SESSION_TTL_MS, type Operator } from '../auth/sessions';
import type { AppContext } from '../context';
import { sha256 } from '../crypto/secretBox';
import type { Db } from '../db/client';
import { HttpError, unauthorized } from '../http/errors';
import { parseBody } from '../http/parseBody';
import type { AdoptDialect } from './dialect';

/**
 * Sign-in for an adopted database: the same cookies, CSRF scheme, password hashing and limits as
 * the built-in mode, over opsroom's operators table instead of the app's users table.
 */
const loginBody = z.object({
  email: z.string().trim().toLowerCase().email('Enter a valid email address').max(320),
  password: z.string().min(1, 'Enter your password').max(1024),
});

async function operatorForToken(db: Db, dialect: AdoptDialect, token: string): Promise<Operator | undefined> {
  const { operators, operatorSessions } = dialect.opsroom;
  const [row] = await db
    .select({ id: operators.id, email: operators.email, name: operators.name, role: operators.role, disabled: operators.disabled })
    .from(operatorSessions)
    .innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
    .where(and(eq(operatorSessions.token, sha256(token)), gt(operatorSessions.expiresAt, new Date())))
    .limit(1);
  if (!row || row.disabled) return undefined;
  return { id: row.id, email: row.email, name: row.name ?? row.email, role: row.role };
}

/** Books the attempt as failed before the password is checked, then counts (see auth/rateLimit.ts for why). */
async function beginAttempt(db: Db, dialect: AdoptDialect, email: string, ip: string): Promise<number | undefined> {
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

export function requireAdoptedOperator(ctx: AppContext, dialect: AdoptDialect): RequestHandler {
  return async (req, _res, next) => {
    const token = sessionTokenOf(req.headers.cookie);
    const operator = token ? await operatorForToken(ctx.database.db, dialect, token) : undefined;
    if (!token || !operator) throw unauthorized();
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method) && !csrfMatches(csrfSecret(ctx), token, req.get('x-csrf-token'))) {
      throw new HttpError(403, 'Missing or invalid CSRF token. Reload the page and try again.');
    }
    req.operator = operator;
    req.sessionToken = token;
    next();
  };
}

export function adoptedAuthRoutes(ctx: AppContext, dialect: AdoptDialect) {
  const router = Router();
  const { db } = ctx.database;
  const { operators, operatorSessions, loginAttempts } = dialect.opsroom;
  const cookieBase = { sameSite: 'strict' as const, secure: ctx.config.production, path: '/' };
  const me = (op: Operator, token: string) => ({ id: op.id, email: op.email, name: op.name, role: op.role, csrfToken: csrfTokenFor(csrfSecret(ctx), token) });

  // Public: the console asks before sign-in which app to show.
  router.get('/mode', (_req, res) => {
    res.json({ mode: 'adopted' });
  });

  router.post('/login', async (req, res) => {
    const { email, password } = parseBody(loginBody, req.body);
    const ip = req.ip ?? 'unknown';
    const attempt = await beginAttempt(db, dialect, email, ip);
    if (attempt === undefined) {
      throw new HttpError(429, 'Too many failed sign-ins. Wait 15 minutes and try again.', undefined, { 'Retry-After': String(LOGIN_WINDOW_MS / 1000) });
    }
    const [op] = await db.select().from(operators).where(eq(operators.email, email)).limit(1);
    const ok = await verifyPassword(password, op?.passwordHash);
    if (ok) await db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attempt));
    if (!ok || !op) throw unauthorized('Wrong email or password.');
    if (op.disabled) throw new HttpError(403, 'This operator account is disabled.');

    // A fresh token on every sign-in (the presented one revoked) defeats session fixation.
    const presented = sessionTokenOf(req.headers.cookie);
    if (presented) await db.delete(operatorSessions).where(eq(operatorSessions.token, sha256(presented)));
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await db.insert(operatorSessions).values({ token: sha256(token), operatorId: op.id, expiresAt, ip, userAgent: req.get('user-agent')?.slice(0, 500), createdAt: new Date() });
    await db.delete(operatorSessions).where(lt(operatorSessions.expiresAt, new Date()));
    const body = me({ id: op.id, email: op.email, name: op.name ?? op.email, role: op.role }, token);
    res.cookie(SESSION_COOKIE, token, { ...cookieBase, httpOnly: true, expires: expiresAt });
    res.cookie(CSRF_COOKIE, body.csrfToken, { ...cookieBase, httpOnly: false, expires: expiresAt });
    res.json(body);
  });

  router.get('/me', requireAdoptedOperator(ctx, dialect), (req, res) => {
    res.json(me(req.operator!, req.sessionToken!));
  });

  router.post('/logout', requireAdoptedOperator(ctx, dialect), async (req, res) => {
    await db.delete(operatorSessions).where(eq(operatorSessions.token, sha256(req.sessionToken!)));
    res.clearCookie(SESSION_COOKIE, cookieBase).clearCookie(CSRF_COOKIE, cookieBase).status(204).end();
  });

  return router;
}
