import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { ResourceModel } from '../resources/model';
import type { ResourceReads } from '../resources/router';

/** The parts of Express's router layers (the `router` package) the read path inspects, read-only. */
interface Layer {
  handle: RequestHandler & { stack?: Layer[] };
  route?: { _handlesMethod(method: string): boolean };
  /** Mounted with `use()` and no path: it sees every request the router sees. */
  slash?: boolean;
  match(path: string): unknown;
}

/** `/api/<resource>` or `/api/<resource>/<id>`, nothing Express would decode or normalize first. */
const READ_PATH = /^\/api\/([A-Za-z0-9_]+)(?:\/([A-Za-z0-9_.~-]+))?(?:\?|$)/;

export interface ApiReadPath extends RequestHandler {
  /** Whether this path answers `req` itself; false leaves it to the routers (tests read it). */
  takes(req: Pick<Request, 'method' | 'url' | 'headers'>): boolean;
}

/**
 * The console's reads (a list page and getOne on a resource: most of the API's traffic) in one
 * flat pass: the same middleware functions the app and the API router mount, called one after the
 * other, then the resource router's own handler. Express would get there by trying each layer of
 * the app, then of the API router and of every router mounted before the resource router (a path
 * match per route, the actions' included) and by processing `:resource` as a router param; the
 * answer is the same, the walk is what goes.
 *
 * It takes only what the resource router would answer: a GET without a body (so the JSON body
 * parser and its guard have nothing to do), on a resource that exists, on a path no layer mounted
 * before the resource router would take (a literal route such as `/users/segments`, a router
 * under its own prefix such as `/auth`). Those layers are read from the API router itself at the
 * first request, so a route added later is honoured without a change here; a middleware mounted
 * for every path before the resource router turns this path off, since it would not run here.
 * Anything it does not take goes through Express as before.
 */
export function apiReadPath(opts: {
  /** The per-request middleware of the app and the API router, in their order, the session check last. */
  steps: RequestHandler[];
  /** The API router, and which of its layers it may skip because `steps` runs them or a bodiless GET needs none. */
  api: Router;
  replayed: RequestHandler[];
  /** The resource router as mounted on `api`, and what it serves. */
  resourceRouter: RequestHandler;
  models: Map<string, ResourceModel>;
  reads: ResourceReads;
}): ApiReadPath {
  const { steps, models, reads } = opts;
  let claimants: Layer[] | undefined;

  const before = (): Layer[] => {
    if (claimants) return claimants;
    const stack = (opts.api as unknown as { stack: Layer[] }).stack;
    const end = stack.findIndex((l) => l.handle === opts.resourceRouter);
    if (end < 0) throw new Error('apiReadPath: the resource router is not mounted on the API router');
    const found: Layer[] = [];
    const collect = (layers: Layer[]) => {
      for (const layer of layers) {
        if (layer.route) {
          if (layer.route._handlesMethod('get')) found.push(layer);
        } else if (layer.slash && layer.handle.stack) collect(layer.handle.stack);
        else found.push(layer);
      }
    };
    collect(stack.slice(0, end).filter((l) => !opts.replayed.includes(l.handle)));
    claimants = found;
    return found;
  };

  const match = (req: Pick<Request, 'method' | 'url' | 'headers'>) => {
    if (req.method !== 'GET' || req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined) return undefined;
    const m = READ_PATH.exec(req.url);
    const model = m && models.get(m[1]!);
    if (!model) return undefined;
    const path = m[2] === undefined ? `/${m[1]}` : `/${m[1]}/${m[2]}`;
    if (before().some((layer) => layer.match(path))) return undefined;
    return { model, id: m[2] };
  };

  const handler = ((req: Request, res: Response, next: NextFunction) => {
    const target = match(req);
    if (!target) return next();
    const fail = (err: unknown) => next(err ?? new Error('Rejected promise'));
    let i = 0;
    const step = (err?: unknown) => {
      if (err) return fail(err);
      const fn = steps[i++];
      const run = fn ? () => fn(req, res, step) : () => (target.id === undefined ? reads.list(target.model, req, res) : reads.getOne(target.model, target.id, req, res));
      try {
        const ret = run() as unknown;
        if (ret instanceof Promise) ret.catch(fail);
      } catch (e) {
        fail(e);
      }
    };
    step();
  }) as ApiReadPath;
  handler.takes = (req) => match(req) !== undefined;
  return handler;
}
