import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseCookies } from 'cookie';
import express from 'express';
import type pg from 'pg';
import { SESSION_COOKIE } from '../../server/src/auth/sessions';
import { sha256 } from '../../server/src/crypto/secretBox';
import type { ReplayPlan } from './sqlCapture';

/** A request opsroom answered, as the statements it sent (the session check apart). */
export interface BareRoute {
  path: string;
  plan: ReplayPlan;
  /** List: the widest result is the page, the other one's first value the total. */
  list: boolean;
}

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

/** Sends the plan's statements in the order and overlap opsroom did; the results in plan order. */
async function run(pool: pg.Pool, plan: ReplayPlan): Promise<pg.QueryResult[]> {
  const done: Promise<pg.QueryResult>[] = [];
  plan.queries.forEach((q, i) => {
    // Plain object rows: pg maps them itself, as a hand-written handler would let it.
    const { rowMode: _rowMode, types: _types, ...config } = q.config;
    done.push(Promise.all(plan.after[i]!.map((j) => done[j])).then(() => pool.query(config)));
  });
  return Promise.all(done);
}

/**
 * The ceiling: Express 5 and pg with nothing else, sending the same SQL opsroom sent for each
 * route, serialized with res.json. Mounted twice: under /session it first runs opsroom's
 * session-lookup statement for the cookie (what any server that checks sessions in the database
 * pays), under /open it does not.
 */
export async function startBareServer(pool: pg.Pool, routes: BareRoute[], sessionCheck: ReplayPlan): Promise<BareServer> {
  const app = express();
  const handler = (route: BareRoute, checkSession: boolean): express.RequestHandler =>
    async (req, res) => {
      if (checkSession) {
        const token = parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
        // The captured statement carries the token hash already; hashing again costs what opsroom's check does.
        if (!token || sha256(token).length === 0) return void res.status(401).end();
        const [session] = await run(pool, sessionCheck);
        if (!session!.rowCount) return void res.status(401).end();
      }
      const results = await run(pool, route.plan);
      if (!route.list) {
        const row = results[0]!.rows[0];
        return void (row ? res.json(row) : res.status(404).end());
      }
      const [page, count] = [...results].sort((x, y) => y.fields.length - x.fields.length);
      const total = Object.values(count?.rows[0] ?? {})[0];
      res.set('Content-Range', `items 0-${page!.rows.length - 1}/${total}`);
      res.json(page!.rows);
    };
  for (const route of routes) {
    app.get(`/session${route.path}`, handler(route, true));
    app.get(`/open${route.path}`, handler(route, false));
  }
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
