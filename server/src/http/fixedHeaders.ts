import type { RequestHandler, Response } from 'express';

/**
 * Runs a header-only middleware (helmet with static options) once at start-up and replays the
 * headers it set on every response: one call instead of a dozen nested middlewares per request.
 * A middleware whose headers depend on the request (a CSP nonce) must not be wrapped.
 */
export function fixedHeaders(middleware: RequestHandler): RequestHandler {
  const set = new Map<string, string | number | readonly string[]>();
  const removed: string[] = [];
  const probe = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.set(name, value),
    removeHeader: (name: string) => removed.push(name),
  } as unknown as Response;
  let called = false;
  void middleware({ headers: {}, method: 'GET', url: '/' } as never, probe, () => (called = true));
  if (!called) throw new Error('fixedHeaders: the middleware did not call next() synchronously');
  return (_req, res, next) => {
    for (const [name, value] of set) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
}
