import { Router, type Request } from 'express';
import { requiredRole } from '../../../contract';
import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { requireRole } from '../auth/middleware';
import type { AppContext } from '../context';
import type { Tx } from '../db/client';
import { writeAudit } from '../ops/writeAudit';
import { badRequest, conflict, notFound } from '../http/errors';
import { unstorableText } from '../http/jsonGuard';
import { parseBody } from '../http/parseBody';
import { actorOf } from '../http/request';
import { MAX_PAGE, parseFilter, parseListQuery } from './listQuery';
import type { ResourceModel } from './model';
import { countRows } from './totals';

type Row = Record<string, unknown>;

export const STALE_MESSAGE = 'This record was changed by someone else since you opened it. Reload it to see their changes, then edit again.';

function parseId(model: ResourceModel, raw: string): string | number {
  if (model.id.kind !== 'int') {
    if (!raw || raw.length > 200 || unstorableText(raw)) throw badRequest('Invalid id.');
    return raw;
  }
  const n = Number(raw);
  if (!/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(n)) throw badRequest(`Invalid id "${raw.slice(0, 40)}": expected a whole number.`);
  if (model.id.column.columnType !== 'PgBigInt53' && n > 2147483647) throw notFound();
  return n;
}

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

/** One generic router serves every resource through its model. */
export function resourceRouter(ctx: AppContext, models: Map<string, ResourceModel>) {
  const router = Router();
  const { db, readDb } = ctx.database;

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

  const selectOne = async (tx: Tx, model: ResourceModel, id: string | number, lock = false) => {
    const q = tx.select(model.selection).from(model.config.table).where(eq(model.id.column, id)).limit(1);
    const [row] = (await (lock ? q.for('update') : q)) as Row[];
    return row;
  };

  router.get('/:resource', async (req, res) => {
    const model = modelOf(req);
    const q = parseListQuery(model, req.query as Record<string, unknown>);
    const [rows, total] = await Promise.all([
      readDb.select(model.selection).from(model.config.table).where(q.where).orderBy(...q.orderBy).offset(q.offset).limit(q.limit ?? MAX_PAGE),
      countRows(readDb, model, q.where, ctx.config.exactCountLimit),
    ]);
    const end = q.offset + rows.length - 1;
    res.set('Content-Range', rows.length ? `${model.name} ${q.offset}-${end}/${total.total}` : `${model.name} */${total.total}`);
    res.set('X-Total-Kind', total.kind);
    res.json(rows);
  });

  // The console's most frequent single-row read: its SQL is built once per resource, and where no
  // transaction pooler sits in between, Postgres parses and plans it once per connection.
  const getOneQueries = new Map<string, { execute(params: { id: string | number }): Promise<unknown[]> }>();
  const getOne = (model: ResourceModel, id: string | number) => {
    if (!ctx.database.canPrepare) return readDb.select(model.selection).from(model.config.table).where(eq(model.id.column, id)).limit(1);
    let query = getOneQueries.get(model.name);
    if (!query) {
      query = readDb.select(model.selection).from(model.config.table).where(eq(model.id.column, sql.placeholder('id'))).limit(1).prepare(`opsroom_get_${model.tableName}`);
      getOneQueries.set(model.name, query);
    }
    return query.execute({ id });
  };

  router.get('/:resource/:id', async (req, res) => {
    const model = modelOf(req);
    const id = parseId(model, req.params.id as string);
    const [row] = await getOne(model, id);
    if (!row) throw notFound(`${model.name} ${id} does not exist.`);
    res.json(row);
  });

  router.post('/:resource', guardWrite('create'), async (req, res) => {
    const model = modelOf(req);
    const body = requireObject(req.body);
    const hook = model.config.onCreate;
    const input = writableInput(model, body, model.creatable, hook ? Object.keys(hook.input.shape) : []);
    let values = parseBody(model.insertSchema!, input, model.apiName) as Row;
    let extra: Row | undefined;
    if (hook) {
      const prepared = hook.toValues(parseBody(hook.input, body), ctx);
      values = { ...values, ...prepared.values };
      extra = prepared.extra;
    }
    const created = await db.transaction(async (tx) => {
      const [row] = (await tx.insert(model.config.table).values(values).returning(model.selection)) as Row[];
      await writeAudit(tx, actorOf(req), { action: 'create', resource: model.name, recordId: row!.id as string, after: row });
      return row!;
    });
    res.status(201).json({ ...created, ...extra });
  });

  router.put('/:resource/:id', guardWrite('update'), async (req, res) => {
    const model = modelOf(req);
    const id = parseId(model, req.params.id as string);
    const body = requireObject(req.body);
    const values = parseBody(model.updateSchema!, writableInput(model, body, model.updatable), model.apiName) as Row;
    const seen = model.updatedAt && body.updated_at != null ? new Date(body.updated_at as string) : undefined;
    if (seen && Number.isNaN(seen.getTime())) throw badRequest('Invalid input', { updated_at: 'Invalid date' });

    const updated = await db.transaction(async (tx) => {
      const before = await selectOne(tx, model, id, true);
      if (!before) throw notFound(`${model.name} ${id} does not exist.`);
      // Optimistic concurrency: the form echoes the updated_at it loaded; a newer row means a lost update.
      if (seen && (before.updated_at as Date).getTime() !== seen.getTime()) throw conflict(STALE_MESSAGE);
      if (!Object.keys(values).length) return before;
      const actor = actorOf(req);
      await model.config.beforeUpdate?.(tx, { id, before, values, actor, ctx });
      // The version must move forward even when two writes land in the same millisecond, or a
      // writer holding the previous value would pass the check above.
      if (model.updatedAt) values[model.updatedAt.key] = new Date(Math.max(Date.now(), (before.updated_at as Date).getTime() + 1));
      const [after] = (await tx.update(model.config.table).set(values).where(eq(model.id.column, id)).returning(model.selection)) as Row[];
      await model.config.afterUpdate?.(tx, { id, before, after: after!, actor });
      await writeAudit(tx, actor, { action: 'update', resource: model.name, recordId: id, before, after });
      return after!;
    });
    res.json(updated);
  });

  router.delete('/:resource/:id', guardWrite('delete'), async (req, res) => {
    const model = modelOf(req);
    const id = parseId(model, req.params.id as string);
    const deleted = await db.transaction(async (tx) => {
      const before = await selectOne(tx, model, id, true);
      if (!before) throw notFound(`${model.name} ${id} does not exist.`);
      await model.config.beforeDelete?.(tx, { id, before, actor: actorOf(req) });
      await tx.delete(model.config.table).where(eq(model.id.column, id));
      await model.config.afterDelete?.(tx, { id, before, actor: actorOf(req) });
      await writeAudit(tx, actorOf(req), { action: 'delete', resource: model.name, recordId: id, before });
      return before;
    });
    res.json(deleted);
  });

  /** Bulk writes act on what `filter` selects, at most one page's worth, each row audited. */
  const bulkTarget = (req: Request): SQL => {
    const where = parseFilter(modelOf(req), req.query.filter);
    if (!where) throw badRequest('Bulk changes need a filter, e.g. filter={"id":[1,2,3]}.');
    return where;
  };
  const lockTargets = async (tx: Tx, model: ResourceModel, where: SQL) => {
    const rows = (await tx.select(model.selection).from(model.config.table).where(where).orderBy(model.id.column).limit(MAX_PAGE + 1).for('update')) as Row[];
    if (rows.length > MAX_PAGE) throw badRequest(`A bulk change touches at most ${MAX_PAGE} records; narrow the filter.`);
    return rows;
  };

  router.put('/:resource', guardWrite('update'), async (req, res) => {
    const model = modelOf(req);
    const where = bulkTarget(req);
    const body = requireObject(req.body);
    const values = parseBody(model.updateSchema!, writableInput(model, body, model.updatable), model.apiName) as Row;
    if (!Object.keys(values).length) throw badRequest('Nothing to update: send at least one writable field.');
    const ids = await db.transaction(async (tx) => {
      const befores = await lockTargets(tx, model, where);
      if (!befores.length) return [];
      const ids = befores.map((r) => r.id as number);
      const actor = actorOf(req);
      for (const before of befores) await model.config.beforeUpdate?.(tx, { id: before.id as number, before, values, actor, ctx });
      const afters = (await tx.update(model.config.table).set(values).where(inArray(model.id.column, ids)).returning(model.selection)) as Row[];
      const byId = new Map(afters.map((a) => [a.id, a]));
      for (const before of befores) {
        await model.config.afterUpdate?.(tx, { id: before.id as number, before, after: byId.get(before.id)!, actor });
        await writeAudit(tx, actor, { action: 'update', resource: model.name, recordId: before.id as number, before, after: byId.get(before.id) });
      }
      return ids;
    });
    res.json(ids);
  });

  router.delete('/:resource', guardWrite('delete'), async (req, res) => {
    const model = modelOf(req);
    const where = bulkTarget(req);
    const ids = await db.transaction(async (tx) => {
      const befores = await lockTargets(tx, model, where);
      if (!befores.length) return [];
      const ids = befores.map((r) => r.id as number);
      for (const before of befores) await model.config.beforeDelete?.(tx, { id: before.id as number, before, actor: actorOf(req) });
      await tx.delete(model.config.table).where(inArray(model.id.column, ids));
      for (const before of befores) await model.config.afterDelete?.(tx, { id: before.id as number, before, actor: actorOf(req) });
      for (const before of befores) {
        await writeAudit(tx, actorOf(req), { action: 'delete', resource: model.name, recordId: before.id as number, before });
      }
      return ids;
    });
    res.json(ids);
  });

  return router;
}
