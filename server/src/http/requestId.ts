import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** Every response names its request, so an operator's bug report can be matched to a log line. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  req.id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  res.set('X-Request-Id', req.id);
  next();
};
