import { Router, type Request, type Response } from 'express';
import { requiredRole } from '../../../contract';
import type { SQL } from 'drizzle-orm';
import { requireRole } from '../auth/middleware';
import type { AppContext } from '../context';
import { badRequest, notFound } from '../http/errors';
import { parseModelId } from '../http/ids';
import { parseBody } from '../http/parseBody';
import { actorOf } from '../http/request';
import { sendJson } from '../http/sendJson';
import type { Row } from '../usecases/records';
import { parseFilter, parseListQuery } from './listQuery';
import type { ResourceModel } from './model';
import { getRecord, listRecords } from './reads';
import { createRecord, deleteMany, deleteRecord, editRecord, updateMany } from './writes';

export { STALE_MESSAGE } from './writes';

/**
 * Splits a write body into the columns this operation may set, keyed the way Drizzle's schemas
 * expect. Exposed-but-read-only fields are ignored (react-admin sends the whole record back on
 * edit); a name that is no field at all is a client bug worth a 400.
 */
export function writableInput(model: ResourceModel, body: Row, allowed: Set<string>, extraKeys: string[] = []): Row {
  const input: Row = {};
  // A Map: assigning a `__proto__` name into a plain object would set its prototype, not report it.
  const unknown = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    if (allowed.has(name)) input[model.fields.get(name)!.key] = value;
    else if (extraKeys.includes(name)) continue;
    else if (!model.fields.has(name)) unknown.set(name, 'Unknown field');
  }
  if (unknown.size) throw badRequest('The request has fields this resource does not have.', Object.fromEntries(unknown));
  return input;
}

export function requireObject(body: unknown): Row {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object.');
  return body as Row;
}

/**
 * The two reads every resource answers, a page (getList, getManyReference) and one record
 * (getOne), shared by the resource router and the API's read path (http/apiReads.ts).
 */
export function resourceReads(ctx: AppContext) {
  const readDeps = { readDb: ctx.database.readDb, canPrepare: ctx.database.canPrepare, exactCountLimit: ctx.config.exactCountLimit };
  return {
    async list(model: ResourceModel, req: Request, res: Response) {
      const query = parseListQuery(model, req.query as Record<string, unknown>);
      const { rows, total } = await listRecords(readDeps, actorOf(req), { model, query });
      const end = query.offset + rows.length - 1;
      res.set('Content-Range', rows.length ? `${model.name} ${query.offset}-${end}/${total.total}` : `${model.name} */${total.total}`);
      res.set('X-Total-Kind', total.kind);
      sendJson(res, rows);
    },
    /** `rawId`: the path segment, as the router's `:id` parameter holds it. */
    async getOne(model: ResourceModel, rawId: string, req: Request, res: Response) {
      sendJson(res, await getRecord(readDeps, actorOf(req), { model, id: parseModelId(model, rawId) }));
    },
  };
}
export type ResourceReads = ReturnType<typeof resourceReads>;

/**
 * One generic router serves every resource through its model: parse the path, query and body,
 * authorize by the resource's write role, call the generic read or write (resources/reads.ts,
 * resources/writes.ts), answer in ra-data-simple-rest's shape.
 */
export function resourceRouter(ctx: AppContext, models: Map<string, ResourceModel>, reads = resourceReads(ctx)) {
  const router = Router();

  router.param('resource', (req, _res, next, name: string) => {
    const model = models.get(name);
    if (!model) throw notFound(`Unknown resource "${String(name).slice(0, 60)}".`);
    (req as Request & { model: ResourceModel }).model = model;
    next();
  });
  const modelOf = (req: Request) => (req as Request & { model: ResourceModel }).model;
  const guardWrite = (what: 'create' | 'update' | 'delete') =>
    ((req, res, next) => {
      const model = modelOf(req);
      // Role first: a support operator learns only that writing is not theirs to do.
      requireRole(requiredRole(what, model.name))(req, res, () => {
        const allowed = what === 'delete' ? model.deletable : what === 'create' ? model.creatable.size > 0 : model.updatable.size > 0;
        if (!allowed) {
          res.status(405).json({ message: `${model.name} cannot be ${what === 'create' ? 'created' : what + 'd'} through the API.` });
          return;
        }
        next();
      });
    }) as Parameters<typeof router.use>[1];
  const idOf = (req: Request) => parseModelId(modelOf(req), req.params.id as string);
  const updateValues = (model: ResourceModel, body: Row): Row => parseBody(model.updateSchema!, writableInput(model, body, model.updatable), model.apiName);

  router.get('/:resource', (req, res) => reads.list(modelOf(req), req, res));
  router.get('/:resource/:id', (req, res) => reads.getOne(modelOf(req), req.params.id as string, req, res));

  router.post('/:resource', guardWrite('create'), async (req, res) => {
    const model = modelOf(req);
    const body = requireObject(req.body);
    const hook = model.config.onCreate;
    const input = writableInput(model, body, model.creatable, hook ? Object.keys(hook.input.shape) : []);
    const values: Row = parseBody(model.insertSchema!, input, model.apiName);
    const hookInput: Row | undefined = hook ? parseBody(hook.input, body) : undefined;
    res.status(201).json(await createRecord(ctx, actorOf(req), { model, values, hookInput }));
  });

  router.put('/:resource/:id', guardWrite('update'), async (req, res) => {
    const model = modelOf(req);
    const id = idOf(req);
    const body = requireObject(req.body);
    const values = updateValues(model, body);
    // Optimistic concurrency: the form echoes the updated_at it loaded.
    const seen = model.updatedAt && body.updated_at != null ? new Date(body.updated_at as string) : undefined;
    if (seen && Number.isNaN(seen.getTime())) throw badRequest('Invalid input', { updated_at: 'Invalid date' });
    res.json(await editRecord(ctx, actorOf(req), { model, id, values, seen }));
  });

  router.delete('/:resource/:id', guardWrite('delete'), async (req, res) => {
    res.json(await deleteRecord(ctx, actorOf(req), { model: modelOf(req), id: idOf(req) }));
  });

  /** Bulk writes act on what `filter` selects, at most one page's worth, each row audited. */
  const bulkTarget = (req: Request): SQL => {
    const where = parseFilter(modelOf(req), req.query.filter);
    if (!where) throw badRequest('Bulk changes need a filter, e.g. filter={"id":[1,2,3]}.');
    return where;
  };

  router.put('/:resource', guardWrite('update'), async (req, res) => {
    const model = modelOf(req);
    const where = bulkTarget(req);
    const values = updateValues(model, requireObject(req.body));
    res.json(await updateMany(ctx, actorOf(req), { model, where, values }));
  });

  router.delete('/:resource', guardWrite('delete'), async (req, res) => {
    res.json(await deleteMany(ctx, actorOf(req), { model: modelOf(req), where: bulkTarget(req) }));
  });

  return router;
}
