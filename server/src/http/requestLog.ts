import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

/**
 * One line per answered request (probes in `quiet` excepted): id, method, path (no query string: it can carry search terms
 * about users), status and milliseconds. Written once on 'finish' with no per-request child
 * logger, so a request costs one object and one timer read when the level is off, and one
 * serialized line when it is on.
 */
export function requestLog(logger: Logger, quiet: readonly string[] = []): RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('info') || quiet.includes(req.url)) return next();
    const started = performance.now();
    res.once('finish', () => {
      const q = req.originalUrl.indexOf('?');
      logger.info(
        {
          reqId: req.id,
          req: { method: req.method, path: q < 0 ? req.originalUrl : req.originalUrl.slice(0, q) },
          res: { status: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        },
        'request completed',
      );
    });
    next();
  };
}
