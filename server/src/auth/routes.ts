import { Router, type Request } from 'express';
import { z } from 'zod';
import { recordSignIn } from '../ops/signIns';
import type { AppContext } from '../context';
import { HttpError, unauthorized } from '../http/errors';
import { parseBody } from '../http/parseBody';
import { arrivedOverHttps } from '../http/security';
import { csrfSecret, requireOperator } from './middleware';
import { issueSession } from './issueSession';
import { findAccount } from './operators';
import { secondFactorStep } from './mfa/secondFactorStep';
import { verifyPassword } from './passwords';
import { beginLoginAttempt, loginSucceeded, LOGIN_WINDOW_MS } from './rateLimit';
import { CSRF_COOKIE, csrfTokenFor, deleteSession, SESSION_COOKIE, type Operator } from './sessions';

const loginBody = z.object({
  email: z.string().trim().toLowerCase().email('Enter a valid email address').max(320),
  password: z.string().min(1, 'Enter your password').max(1024),
});

export function authRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx.database;
  // Secure follows the scheme the request arrived on: a Secure cookie set over plain HTTP is never
  // sent back, and sign-in silently fails.
  const cookieBase = (req: Request) => ({ sameSite: 'strict' as const, secure: arrivedOverHttps(req), path: '/' });

  const me = (op: Operator, token: string) => ({ id: op.id, email: op.email, name: op.name, role: op.role, csrfToken: csrfTokenFor(csrfSecret(ctx), token) });

  router.post('/login', async (req, res) => {
    if (ctx.config.passwordLogin === false) {
      throw new HttpError(403, `Password sign-in is turned off on this console. Sign in with ${ctx.config.oidc?.providerName ?? 'single sign-on'}.`);
    }
    const { email, password } = parseBody(loginBody, req.body);
    const ip = req.ip ?? 'unknown';
    const attempt = await beginLoginAttempt(db, email, ip);
    if (attempt === undefined) {
      throw new HttpError(429, 'Too many failed sign-ins from this address. Wait 15 minutes and try again.', undefined, { 'Retry-After': String(LOGIN_WINDOW_MS / 1000) });
    }
    // The wait comes before the password check, whatever the answer will be, so it costs a guess
    // its time and tells nothing.
    if (attempt.delayMs) await new Promise((resolve) => setTimeout(resolve, attempt.delayMs));
    const user = await findAccount(db, { email });
    const ok = await verifyPassword(password, user?.passwordHash);
    if (ok) await loginSucceeded(db, attempt.id);
    const outcome = !user ? 'unknown_email' : !ok ? 'wrong_password' : user.banned ? 'banned' : user.role === 'member' ? 'no_console_access' : 'signed_in';
    await recordSignIn(db, { email, userId: user?.id, ip, requestId: req.id, outcome });
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
    await deleteSession(db, req.sessionToken!, ctx.sessionCache);
    res.clearCookie(SESSION_COOKIE, cookieBase(req)).clearCookie(CSRF_COOKIE, cookieBase(req)).status(204).end();
  });

  return router;
}
