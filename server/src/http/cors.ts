import type { RequestHandler } from 'express';

/**
 * Only needed when the console is served from another origin (Vite on :5173 against a remote API).
 * ra-data-simple-rest sends a Range header and reads Content-Range, so both must be allowed through.
 */
export function cors(origin: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!origin) return next();
    // Every answer depends on Origin once CORS is on, the ones without CORS headers included:
    // a cache must not hand one origin's answer to another.
    res.vary('Origin');
    if (req.get('origin') !== origin) return next();
    res.set({
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': 'Content-Range, X-Total-Kind, Idempotent-Replayed, X-Request-Id',
    });
    if (req.method === 'OPTIONS') {
      res
        .set({
          'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type, Range, X-CSRF-Token, Idempotency-Key',
          'Access-Control-Max-Age': '600',
        })
        .status(204)
        .end();
      return;
    }
    next();
  };
}
