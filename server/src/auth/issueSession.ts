import type { Request, Response } from 'express';
import type { AppContext } from '../context';
import { arrivedOverHttps } from '../http/security';
import { csrfSecret, sessionTokenOf } from './middleware';
import { createSession, CSRF_COOKIE, csrfTokenFor, deleteSession, SESSION_COOKIE, type Operator } from './sessions';

// Secure follows the scheme the request arrived on: a Secure cookie set over plain HTTP is never
// sent back, and sign-in silently fails.
const cookieBase = (req: Request) => ({ sameSite: 'strict' as const, secure: arrivedOverHttps(req), path: '/' });

/** What the console learns about the signed-in operator (and the CSRF token it must echo). */
export const meBody = (ctx: AppContext, op: Operator, token: string) => ({ id: op.id, email: op.email, name: op.name, role: op.role, csrfToken: csrfTokenFor(csrfSecret(ctx), token) });

/**
 * The end of every sign-in (password, second factor, SSO): a fresh session and its cookies. A new
 * token each time, and the one presented revoked, defeats session fixation.
 */
export async function issueSession(ctx: AppContext, req: Request, res: Response, user: Operator) {
  const { db } = ctx.database;
  const presented = sessionTokenOf(req.headers.cookie);
  if (presented) await deleteSession(db, presented, ctx.sessionCache);
  const { token, expiresAt } = await createSession(db, user.id, { ip: req.ip ?? 'unknown', userAgent: req.get('user-agent') });
  const body = meBody(ctx, user, token);
  const base = cookieBase(req);
  res.cookie(SESSION_COOKIE, token, { ...base, httpOnly: true, expires: expiresAt });
  res.cookie(CSRF_COOKIE, body.csrfToken, { ...base, httpOnly: false, expires: expiresAt });
  return body;
}
