import express from 'express';
import { actionsRouter } from './http/actions';
import { mountAdopted } from './adopt/app';
import type { Adoption } from './adopt/resources';
import { requireOperator } from './auth/middleware';
import { mfaRoutes } from './auth/mfa/routes';
import { authRoutes } from './auth/routes';
import { ssoRoutes } from './auth/sso/routes';
import { consoleRouter } from './console/routes';
import type { AppContext } from './context';
import { pingDatabase } from './db/client';
import { cors } from './http/cors';
import { type ConsoleOptions, mountConsole } from './http/console';
import { errorHandler, notFound } from './http/errors';
import { apiReadPath } from './http/apiReads';
import { guardJsonBody } from './http/jsonGuard';
import { publicRoutes } from './http/publicRoutes';
import { requestId } from './http/requestId';
import { notesRouter } from './auth/notes/routes';
import { requestLog } from './http/requestLog';
import { rememberTrust } from './http/trustProxy';
import { requireHttpsInProduction, securityHeaders } from './http/security';
import { resourceModels } from './resources';
import { resourceReads, resourceRouter } from './resources/router';
import { revisionsRouter } from './ops/revisions/routes';
import { statsRouter } from './stats';

export const JSON_BODY_LIMIT = '256kb';
/** Probe paths: polled every few seconds, so they stay out of the request log. */
const PROBES = ['/livez', '/readyz', '/healthz'];

// Answers carry operators' and users' data: no browser or proxy cache may keep them.
const noStore: express.RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
const jsonBody = express.json({ limit: JSON_BODY_LIMIT, strict: true });

/**
 * `console`: serve the built react-admin console at `/` (the API stays at /api), or say it is being built.
 * `adoption`: serve an existing database's own tables (OPSROOM_ADOPT) instead of opsroom's schema.
 * `fastReads: false`: every API request goes through the routers (tests compare the two paths).
 */
export function createApp(ctx: AppContext, opts: { console?: ConsoleOptions; adoption?: Adoption; fastReads?: boolean } = {}) {
  const app = express();
  app.disable('x-powered-by');
  // Only the proxies TRUST_PROXY names may speak for the client (its address, its scheme): trusting
  // every private range let any client on one forge X-Forwarded-For past the login limits.
  app.set('trust proxy', ctx.config.trustProxy);
  app.set('trust proxy fn', rememberTrust(app.get('trust proxy fn')));
  // An ETag costs a hash of every JSON body and spares no database work: a 304 is decided only
  // after the full answer is built. The console's static files keep theirs (express.static).
  app.set('etag', false);
  const before: express.RequestHandler[] = [requestId, requestLog(ctx.logger, PROBES), securityHeaders, requireHttpsInProduction(ctx.config)];
  const api = express.Router();
  const apiBefore: express.RequestHandler[] = [cors(ctx.config.corsOrigin), noStore];
  const signedIn = requireOperator(ctx);
  const models = resourceModels();
  const reads = resourceReads(ctx);
  const resources = resourceRouter(ctx, models, reads);
  if (!opts.adoption && opts.fastReads !== false) {
    // The console's reads take one flat pass through the same middleware (http/apiReads.ts),
    // skipping only the layers it reads off `api` once the router below is built.
    const steps = [...before, ...apiBefore, signedIn];
    app.use(apiReadPath({ steps, api, replayed: [...apiBefore, jsonBody, guardJsonBody, signedIn], resourceRouter: resources, models, reads }));
  }
  app.use(...before);

  // Liveness: the process serves HTTP. The load balancer polls this one, so a database failover
  // (60-120 s on Multi-AZ RDS) never makes ECS replace every healthy task, and the polling never
  // keeps a scale-to-zero Neon compute awake.
  app.get('/livez', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: a database round trip, for people, alerts and uptime checks (/healthz is its old name).
  const ready: express.RequestHandler = async (_req, res) => {
    try {
      await pingDatabase(ctx.database.db);
      res.json({ status: 'ok', database: ctx.database.driver });
    } catch {
      res.status(503).json({ status: 'unavailable', message: 'The database is unreachable.' });
    }
  };
  app.get('/readyz', ready);
  app.get('/healthz', ready);

  api.use(...apiBefore);
  api.use(jsonBody);
  api.use(guardJsonBody);
  if (opts.adoption) mountAdopted(api, ctx, opts.adoption);
  else {
    api.use('/auth/mfa', mfaRoutes(ctx));
    api.use('/auth/sso', ssoRoutes(ctx));
    api.use('/auth', authRoutes(ctx));
    api.use('/public', publicRoutes(ctx));
    api.use(signedIn);
    api.use(statsRouter(ctx));
    api.use(actionsRouter(ctx));
    api.use(consoleRouter(ctx));
    api.use(notesRouter(ctx));
    api.use(revisionsRouter(ctx, models));
    api.use(resources);
  }
  api.use(() => {
    throw notFound('No such API route.');
  });
  app.use('/api', api);
  if (opts.console) mountConsole(app, opts.console);
  app.use(errorHandler(ctx.logger));
  return app;
}
