import { Router } from 'express';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../context';
import { users } from '../db/schema';
import { HttpError, unauthorized } from '../http/errors';
import { parseBody } from '../http/parseBody';
import { cookieBaseFor, issueSession, meBody } from './issueSession';
import { requireOperator } from './middleware';
import { secondFactorStep } from './mfa/secondFactorStep';
import { verifyPassword } from './passwords';
import { beginLoginAttempt, loginSucceeded, LOGIN_WINDOW_MS } from './rateLimit';
import { CSRF_COOKIE, deleteSession, SESSION_COOKIE, type Operator } from './sessions';

const loginBody = z.object({
  email: z.string().trim().toLowerCase().email('Enter a valid email address').max(320),
  password: z.string().min(1, 'Enter your password').max(1024),
});

export function authRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx.database;
  const cookieBase = cookieBaseFor(ctx);
  const me = (op: Operator, token: string) => meBody(ctx, op, token);

  router.post('/login', async (req, res) => {
    const { email, password } = parseBody(loginBody, req.body);
    const ip = req.ip ?? 'unknown';
    const attempt = await beginLoginAttempt(db, email, ip);
    if (attempt === undefined) {
      throw new HttpError(429, 'Too many failed sign-ins. Wait 15 minutes and try again.', undefined, { 'Retry-After': String(LOGIN_WINDOW_MS / 1000) });
    }
    const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
    const ok = await verifyPassword(password, user?.passwordHash);
    if (ok) await loginSucceeded(db, attempt);
    if (!ok || !user) throw unauthorized('Wrong email or password.');
    if (user.banned) throw new HttpError(403, 'This account is banned.');
    if (user.role === 'member') throw new HttpError(403, 'This account has no console access.');

    // The password was right; a second factor, when the operator has or needs one, comes next.
    const secondStep = await secondFactorStep(ctx, user);
    if (secondStep) return void res.json(secondStep);
    res.json(await issueSession(ctx, req, res, user));
  });

  router.get('/me', requireOperator(ctx), (req, res) => {
    res.json(me(req.operator!, req.sessionToken!));
  });

  router.post('/logout', requireOperator(ctx), async (req, res) => {
    await deleteSession(db, req.sessionToken!);
    res.clearCookie(SESSION_COOKIE, cookieBase).clearCookie(CSRF_COOKIE, cookieBase).status(204).end();
  });

  return router;
}
