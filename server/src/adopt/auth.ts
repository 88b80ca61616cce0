import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { csrfSecret, sessionTokenOf } from '../auth/middleware';
import { LOGIN_WINDOW_MS } from '../auth/rateLimit';
import { CSRF_COOKIE, csrfMatches, csrfTokenFor, SESSION_COOKIE, type Operator } from '../auth/sessions';
import type { AppContext } from '../context';
import { HttpError, unauthorized } from '../http/errors';
import { parseBody } from '../http/parseBody';
import type { UseCaseActor } from '../usecases';
import type { AdoptDialect } from './dialect';
import { operatorForToken, signOutAdopted, type AdoptedAuthDeps } from './operatorSessions';
import { signInAdopted } from './signIn';

/**
 * Sign-in routes for an adopted database: the same cookies and CSRF scheme as the built-in mode;
 * the queries are in signIn.ts and operatorSessions.ts.
 */
const loginBody = z.object({
  email: z.string().trim().toLowerCase().email('Enter a valid email address').max(320),
  password: z.string().min(1, 'Enter your password').max(1024),
});

const authDeps = (ctx: AppContext, dialect: AdoptDialect): AdoptedAuthDeps => ({
  get db() {
    return ctx.database.db;
  },
  dialect,
});

/** Who asks: at sign-in only an address and a request, at sign-out the signed-in operator. */
const requester = (req: Request, operator?: Operator): UseCaseActor => ({ actorId: operator?.id ?? null, actorEmail: operator?.email ?? null, ip: req.ip ?? 'unknown', requestId: req.id });

export function requireAdoptedOperator(ctx: AppContext, dialect: AdoptDialect): RequestHandler {
  const deps = authDeps(ctx, dialect);
  return async (req, _res, next) => {
    const token = sessionTokenOf(req.headers.cookie);
    const operator = token ? await operatorForToken(deps, token) : undefined;
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
  const deps = authDeps(ctx, dialect);
  const cookieBase = { sameSite: 'strict' as const, secure: ctx.config.production, path: '/' };
  const me = (op: Operator, token: string) => ({ id: op.id, email: op.email, name: op.name, role: op.role, csrfToken: csrfTokenFor(csrfSecret(ctx), token) });

  // Public: the console asks before sign-in which app to show.
  router.get('/mode', (_req, res) => {
    res.json({ mode: 'adopted' });
  });

  router.post('/login', async (req, res) => {
    const { email, password } = parseBody(loginBody, req.body);
    const result = await signInAdopted(deps, requester(req), { email, password, userAgent: req.get('user-agent'), presentedToken: sessionTokenOf(req.headers.cookie) });
    if (result.kind === 'throttled') {
      throw new HttpError(429, 'Too many failed sign-ins. Wait 15 minutes and try again.', undefined, { 'Retry-After': String(LOGIN_WINDOW_MS / 1000) });
    }
    if (result.kind === 'wrongCredentials') throw unauthorized('Wrong email or password.');
    const body = me(result.operator, result.token);
    res.cookie(SESSION_COOKIE, result.token, { ...cookieBase, httpOnly: true, expires: result.expiresAt });
    res.cookie(CSRF_COOKIE, body.csrfToken, { ...cookieBase, httpOnly: false, expires: result.expiresAt });
    res.json(body);
  });

  router.get('/me', requireAdoptedOperator(ctx, dialect), (req, res) => {
    res.json(me(req.operator!, req.sessionToken!));
  });

  router.post('/logout', requireAdoptedOperator(ctx, dialect), async (req, res) => {
    await signOutAdopted(deps, requester(req, req.operator), { token: req.sessionToken! });
    res.clearCookie(SESSION_COOKIE, cookieBase).clearCookie(CSRF_COOKIE, cookieBase).status(204).end();
  });

  return router;
}
