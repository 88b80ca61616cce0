import express from 'express';
import { sql } from 'drizzle-orm';
import type { AppContext } from './context';

export function createApp(ctx: AppContext) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');

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

  app.use('/api', (_req, res) => {
    res.status(404).json({ message: 'Not found' });
  });
  return app;
}
