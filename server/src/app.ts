import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { sql } from 'drizzle-orm';
import { actionsRouter } from './actions';
import { requireOperator } from './auth/middleware';
import { authRoutes } from './auth/routes';
import type { AppContext } from './context';
import { cors } from './http/cors';
import { mountConsole } from './http/console';
import { errorHandler, notFound } from './http/errors';
import { publicRoutes } from './http/publicRoutes';
import { requestId } from './http/requestId';
import { buildModels } from './resources';
import { resourceRouter } from './resources/router';
import { statsRouter } from './stats';

export const JSON_BODY_LIMIT = '256kb';

/** `consoleDir`: serve the built react-admin console from there at `/` (the API stays at /api). */
export function createApp(ctx: AppContext, opts: { consoleDir?: string } = {}) {
  const app = express();
  app.disable('x-powered-by');
  // Behind the ALB (or any proxy on a private network) the client's address is in X-Forwarded-For.
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(requestId);
  app.use(
    pinoHttp({
      logger: ctx.logger,
      genReqId: (req) => (req as express.Request).id,
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      serializers: {
        // Method, path and status only: query strings can carry search terms about users.
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // MUI injects <style> tags at run time.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'https:'],
        },
      },
    }),
  );

  // Liveness plus a database round trip: the load balancer should stop routing to a task whose
  // database is unreachable.
  app.get('/healthz', async (_req, res) => {
    try {
      await ctx.database.db.execute(sql`select 1`);
      res.json({ status: 'ok', database: ctx.database.driver });
    } catch {
      res.status(503).json({ status: 'unavailable', message: 'The database is unreachable.' });
    }
  });

  const api = express.Router();
  api.use(cors(ctx.config.corsOrigin));
  api.use(express.json({ limit: JSON_BODY_LIMIT, strict: true }));
  api.use('/auth', authRoutes(ctx));
  api.use('/public', publicRoutes(ctx));
  api.use(requireOperator(ctx));
  api.use(statsRouter(ctx));
  api.use(actionsRouter(ctx));
  api.use(resourceRouter(ctx, buildModels()));
  api.use(() => {
    throw notFound('No such API route.');
  });
  app.use('/api', api);
  if (opts.consoleDir) mountConsole(app, { distDir: opts.consoleDir });
  app.use(errorHandler(ctx.logger));
  return app;
}
