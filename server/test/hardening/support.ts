import { Writable } from 'node:stream';
import type { Express } from 'express';
import { sql } from 'drizzle-orm';
import { SESSION_COOKIE } from '../../src/auth/sessions';
import { queryRows } from '../../src/db/client';
import { createLogger } from '../../src/logger';
import { buildModels } from '../../src/resources';
import type { ResourceModel } from '../../src/resources/model';
import type { Engine } from '../support/engines';
import { Session } from '../support/operators';
import { bootTestServer, describeEachEngine, type TestServer, type TestServerOptions } from '../support/testServer';

/** `npm run test:stress` multiplies every count by ten; `npm test` runs the minimums. */
export const STRESS = process.env.OPSROOM_STRESS === '1';
export const scaled = (n: number) => (STRESS ? n * 10 : n);

/** One line per figure in the test output, so the README's numbers can be read off a run. */
export function reportFigures(title: string, figures: Record<string, number | string>) {
  const parts = Object.entries(figures).map(([k, v]) => `${k}=${v}`);
  console.info(`[hardening] ${title}: ${parts.join(', ')}`);
}

/** Everything the server logged (pino JSON lines), for the secrets scan. */
export class LogCapture {
  readonly lines: string[] = [];
  private partial = '';
  readonly stream = new Writable({
    write: (chunk: Buffer, _enc, done) => {
      const text = this.partial + chunk.toString('utf8');
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts.filter(Boolean));
      done();
    },
  });
}

/** Every response body a hardening test saw, for the secrets scan. */
export class Traffic {
  readonly bodies: { method: string; path: string; status: number; body: string }[] = [];
  /** Every session token a client was given (read from the cookie jar after each response). */
  readonly sessionTokens = new Set<string>();
  requests = 0;
}

/** A Session that records each response body in `traffic` (the body is still readable by the caller). */
export class RecordingSession extends Session {
  constructor(
    baseUrl: string,
    readonly traffic: Traffic,
  ) {
    super(baseUrl);
  }

  override async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await super.fetch(path, init);
    this.traffic.requests++;
    this.traffic.bodies.push({ method: init.method ?? 'GET', path, status: res.status, body: await res.clone().text() });
    const token = new RegExp(`(?:^|; )${SESSION_COOKIE}=([^;]+)`).exec(this.cookie)?.[1];
    if (token) this.traffic.sessionTokens.add(token);
    return res;
  }
}

export interface HardenedServer extends TestServer {
  logs: LogCapture;
  traffic: Traffic;
  models: Map<string, ResourceModel>;
  app: Express;
}

/** The real server with its pino output captured at info level (what production logs). */
export async function bootHardenedServer(engine: Engine, opts: TestServerOptions = {}): Promise<HardenedServer> {
  const logs = new LogCapture();
  const server = await bootTestServer(engine, { ...opts, logger: createLogger({ level: 'info', destination: logs.stream }) });
  const app = server.server.listeners('request')[0] as unknown as Express;
  return Object.assign(server, { logs, traffic: new Traffic(), models: buildModels(), app });
}

/** describeEachEngine, with the hardened server. */
export function describeHardened(name: string, body: (server: () => HardenedServer) => void, opts: TestServerOptions = {}, only?: Engine['name']) {
  describeEachEngine(name, body, opts, { boot: bootHardenedServer, only });
}

export interface RouteInfo {
  method: string;
  /** Express pattern, e.g. /api/:resource/:id */
  path: string;
  /** Handlers on the route itself (for role tags). */
  handlers: unknown[];
}

type Layer = { route?: { path: string | string[]; methods: Record<string, boolean>; stack: { handle: unknown }[] }; handle?: { stack?: Layer[] }; rawPath?: unknown };

/**
 * Every route registered on the app, read from Express 5's router stack (routers mounted with
 * `use(path, router)` are walked with their mount path), so a new route is covered without
 * editing a test.
 */
export function listRoutes(app: Express): RouteInfo[] {
  const routes: RouteInfo[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          if (typeof p !== 'string') throw new Error(`route with a non-string path under ${prefix}: extend listRoutes`);
          for (const [method, on] of Object.entries(layer.route.methods)) {
            // A router's own `/` route answers at its mount path, without the trailing slash.
            const full = p === '/' && prefix ? prefix : prefix + p;
            if (on && method !== '_all') routes.push({ method: method.toUpperCase(), path: full, handlers: layer.route.stack.map((l) => l.handle) });
          }
        }
      } else if (layer.handle?.stack) {
        const mount = layer.rawPath;
        if (typeof mount !== 'string') throw new Error(`router mounted on a non-string path under ${prefix}: extend listRoutes`);
        walk(layer.handle.stack, mount === '/' ? prefix : prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return routes;
}

/** A route pattern with `:resource` expanded to every resource name (other params left as they are). */
export function expandResources(routes: RouteInfo[], models: Map<string, ResourceModel>): (RouteInfo & { pattern: string; resource?: string })[] {
  return routes.flatMap((r) =>
    r.path.includes(':resource')
      ? [...models.keys()].map((name) => ({ ...r, pattern: r.path, path: r.path.replace(':resource', name), resource: name }))
      : [{ ...r, pattern: r.path, resource: /^\/api\/([a-z_]+)/.exec(r.path)?.[1] }],
  );
}

/**
 * A fingerprint per table (md5 over every row, ordered), to prove a request changed nothing.
 * `except` leaves out tables that legitimately change on a rejected request (sign-in attempts).
 */
export async function fingerprintTables(server: TestServer, except: string[] = []): Promise<Map<string, string>> {
  const { db } = server.ctx.database;
  const tables = await queryRows<{ name: string }>(db, sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`);
  const out = new Map<string, string>();
  for (const { name } of tables) {
    if (except.includes(name)) continue;
    const [row] = await queryRows<{ h: string | null }>(db, sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from "${name}" t`));
    out.set(name, row?.h ?? '');
  }
  return out;
}

export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
}

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, run: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await run(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Server-made SQL or a stack trace in a response body: what must never reach a client. */
const LEAK_PATTERNS: [string, RegExp][] = [
  ['stack trace', /\n\s+at [^\n]+[(:]\S+:\d+/],
  ['source path', /(node_modules|server\/src|\.ts:\d+)/],
  ['drizzle query', /Failed query|\bparams:/i],
  ['SQL text', /\b(select|insert into|update|delete from)\b[^"]*"[a-z_]+"\s*(from|set|values|where|\()/i],
  ['Postgres error', /syntax error at or near|invalid input syntax|violates (check|foreign key|unique|not-null)|relation "[^"]+" does not exist|column "[^"]+" (does not exist|of relation)|duplicate key value|current transaction is aborted|pg_catalog|SQLSTATE/i],
  ['HTML error page', /<!DOCTYPE html>|<pre>/i],
];

export function leaksIn(body: string): string | undefined {
  for (const [what, re] of LEAK_PATTERNS) if (re.test(body)) return what;
  return undefined;
}
