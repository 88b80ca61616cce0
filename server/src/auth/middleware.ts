import { parse as parseCookies } from 'cookie';
import type { RequestHandler, Response } from 'express';
import { hasRole, type OperatorRole } from '../../../contract';
import type { AppContext } from '../context';
import { forbidden, HttpError, unauthorized } from '../http/errors';
import type { SessionCache } from './sessionCache';
import { csrfMatches, findOperator, SESSION_COOKIE } from './sessions';

export type Role = OperatorRole;

export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parseCookies(cookieHeader)[SESSION_COOKIE] || undefined;
}

export const csrfSecret = (ctx: AppContext) => ctx.config.sessionSecret ?? ctx.keyRing.keys.get(ctx.keyRing.current)!;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every /api route but login and health needs a live operator session, and a CSRF token to change things. */
export function requireOperator(ctx: AppContext): RequestHandler {
  const cache = ctx.sessionCache;
  return async (req, res, next) => {
    const token = sessionTokenOf(req.headers.cookie);
    const operator = token ? await findOperator(ctx.database.db, token, cache) : undefined;
    if (!token || !operator) throw unauthorized();
    if (!SAFE_METHODS.has(req.method)) {
      if (!csrfMatches(csrfSecret(ctx), token, req.get('x-csrf-token'))) {
        throw new HttpError(403, 'Missing or invalid CSRF token. Reload the page and try again.');
      }
      if (cache) forgetSessionsBeforeAnswering(res, cache);
    }
    req.operator = operator;
    req.sessionToken = token;
    next();
  };
}

/**
 * A write may end sessions (a ban, a role change, a logout). Its trigger's NOTIFY reaches this
 * process a moment after the commit, so the cache is emptied before the response goes out: the
 * caller's next request, whoever sends it, reads the database.
 */
function forgetSessionsBeforeAnswering(res: Response, cache: SessionCache) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    cache.clear();
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response['writeHead'];
}

/** The guard carries the role it needs (`requiredRole`), so tests can read the permission table off the routes. */
export function requireRole(needed: Role): RequestHandler & { requiredRole: Role } {
  const guard: RequestHandler = (req, _res, next) => {
    if (!hasRole(req.operator?.role, needed)) throw forbidden();
    next();
  };
  return Object.assign(guard, { requiredRole: needed });
}
