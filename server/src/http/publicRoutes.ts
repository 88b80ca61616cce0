import { Router, type RequestHandler } from 'express';
import type { AppContext } from '../context';
import { joinWaitlist } from '../growth/waitlist';
import { HttpError } from './errors';

export const WAITLIST_LIMIT = { requests: 10, windowMs: 60_000 };

/**
 * A fixed-window limit per client address, kept in this process: it stops a form being hammered
 * from one address without a database write per refusal. Each task counts on its own, so the
 * effective limit behind N tasks is N times this; the table's unique email bounds what spam can add.
 */
export function perAddressLimit({ requests, windowMs }: { requests: number; windowMs: number }): RequestHandler {
  const hits = new Map<string, { count: number; resetAt: number }>();
  return (req, res, next) => {
    const now = Date.now();
    if (hits.size > 10_000) for (const [ip, h] of hits) if (h.resetAt <= now) hits.delete(ip);
    const key = req.ip ?? 'unknown';
    const hit = hits.get(key);
    if (!hit || hit.resetAt <= now) hits.set(key, { count: 1, resetAt: now + windowMs });
    else if (++hit.count > requests) {
      const retryAfter = String(Math.ceil((hit.resetAt - now) / 1000));
      return next(new HttpError(429, 'Too many sign-ups from this address; try again in a minute.', undefined, { 'Retry-After': retryAfter }));
    }
    next();
  };
}

/** Routes the app's own pages call, without an operator session: mounted before requireOperator. */
export function publicRoutes(ctx: AppContext) {
  const router = Router();
  router.post('/waitlist', perAddressLimit(WAITLIST_LIMIT), async (req, res) => {
    const entry = await joinWaitlist({ db: ctx.database.db }, req.body);
    res.status(200).json({ ok: true, email: entry.email });
  });
  return router;
}
