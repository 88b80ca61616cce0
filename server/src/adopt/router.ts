import { Router, type Request } from 'express';
import { and, asc, desc, type SQL } from 'drizzle-orm';
import { requireRole } from '../auth/middleware';
import { writeAudit } from '../ops/writeAudit';
import type { AppContext } from '../context';
import type { Tx } from '../db/client';
import { badRequest, conflict, HttpError, notFound } from '../http/errors';
import { parseBody } from '../http/parseBody';
import { actorOf } from '../http/request';
import { MAX_PAGE, parseListQuery } from '../resources/listQuery';
import { requireObject, STALE_MESSAGE, writableInput } from '../resources/router';
import { VERSION_FIELD, type Adoption, type AdoptedResource } from './resources';

type Row = Record<string, unknown>;

/** Audit rows of an adopted database go to opsroom's audit log, in the same transaction as the change. */
export const auditAdopted = (adoption: Adoption, tx: Tx, req: Request, entry: Parameters<typeof writeAudit>[2]) =>
  writeAudit(tx, actorOf(req), entry, adoption.dialect.opsroom.auditLog as never);

/**
 * `filter` with react-admin's `id` (getMany, references) taken out and turned into a WHERE over the
 * real key, so the engine's filter parser sees only real columns.
 */
function splitIdFilter(resource: AdoptedResource, raw: unknown): { rest: unknown; where?: SQL } {
  if (typeof raw !== 'string' || resource.model.fields.has('id') && resource.keyFields.length === 1) return { rest: raw };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { rest: raw };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || !('id' in parsed)) return { rest: raw };
  const { id, ...rest } = parsed as Row;
  const ids = Array.isArray(id) ? id : [id];
  if (ids.length > MAX_PAGE) throw badRequest(`Too many values for id (at most ${MAX_PAGE}).`, { id: 'too many values' });
  return { rest: JSON.stringify(rest), where: resource.whereIds(ids) };
}

/** The ra-data-simple-rest contract over adopted tables: list, read, create, update (409 on a stale version), delete. */
export function adoptedRouter(ctx: AppContext, adoption: Adoption) {
  const router = Router();
  const { db, readDb } = ctx.database;
  const admin = requireRole('admin');

  router.param('resource', (req, _res, next, name: string) => {
    const resource = adoption.resources.get(name);
    if (!resource) throw notFound(`Unknown resource "${String(name).slice(0, 60)}".`);
    (req as Request & { adopted: AdoptedResource }).adopted = resource;
    next();
  });
  const resourceOf = (req: Request) => (req as Request & { adopted: AdoptedResource }).adopted;
  const writable = (r: AdoptedResource, what: 'created' | 'updated' | 'deleted') => {
    const ok = what === 'deleted' ? r.model.deletable && r.keyed : what === 'created' ? r.model.creatable.size > 0 : r.model.updatable.size > 0 && r.keyed;
    if (!ok) throw new HttpError(405, `${r.name} cannot be ${what} through opsroom (${r.spec.kind === 'view' ? 'a view' : r.keyed ? 'read-only in opsroom.adopt.json' : 'it has no primary key'}).`);
  };

  const selectOne = async (tx: Tx, r: AdoptedResource, where: SQL, lock = false) => {
    const q = tx.select(r.selection).from(r.table).where(where).limit(1);
    const [row] = (await (lock ? q.for('update') : q)) as Row[];
    return row;
  };

  router.get('/:resource', async (req, res) => {
    const r = resourceOf(req);
    const query = { ...(req.query as Row) };
    const { rest, where: idWhere } = splitIdFilter(r, query.filter);
    query.filter = rest;
    if (typeof query.sort === 'string' && !r.model.fields.has('id')) query.sort = query.sort.replace(/^\["id",/, `[${JSON.stringify(r.model.id.name)},`);
    const q = parseListQuery(r.model, query);
    const sortable = new Set([...r.spec.sortable, ...r.spec.id]);
    if (!sortable.has(q.sort[0])) throw badRequest(`Cannot sort ${r.name} by "${q.sort[0]}": it is not indexed (add it to "sortable" in opsroom.adopt.json to allow it).`, { sort: 'not sortable' });
    const where = idWhere ? (q.where ? and(q.where, idWhere) : idWhere) : q.where;
    // The rest of a composite key breaks ties too, so pages never repeat or skip rows.
    const dir = q.sort[1] === 'ASC' ? asc : desc;
    const orderBy = [...q.orderBy, ...r.keyFields.slice(1).map((f) => dir(f.column))];
    const [rows, total] = await Promise.all([
      readDb.select(r.selection).from(r.table).where(where).orderBy(...orderBy).offset(q.offset).limit(q.limit ?? MAX_PAGE),
      adoption.dialect.count(readDb, r, where, ctx.config.exactCountLimit),
    ]);
    const end = q.offset + rows.length - 1;
    res.set('Content-Range', rows.length ? `${r.name} ${q.offset}-${end}/${total.total}` : `${r.name} */${total.total}`);
    res.set('X-Total-Kind', total.kind);
    res.json((rows as Row[]).map((row) => r.present(row)));
  });

  router.get('/:resource/:id', async (req, res) => {
    const r = resourceOf(req);
    const [row] = (await readDb.select(r.selection).from(r.table).where(r.whereId(req.params.id as string)).limit(1)) as Row[];
    if (!row) throw notFound(`${r.name} ${req.params.id} does not exist.`);
    res.json(r.present(row));
  });

  router.post('/:resource', admin, async (req, res) => {
    const r = resourceOf(req);
    writable(r, 'created');
    const body = requireObject(req.body);
    const values = parseBody(r.model.insertSchema!, writableInput(r.model, body, r.model.creatable, r.echoedFields), r.model.apiName) as Row;
    const created = await db.transaction(async (tx) => {
      const after = r.present(await adoption.dialect.insertRow(tx, r, values));
      await auditAdopted(adoption, tx, req, { action: 'create', resource: r.name, recordId: after.id as string, after });
      return after;
    });
    res.status(201).json(created);
  });

  router.put('/:resource/:id', admin, async (req, res) => {
    const r = resourceOf(req);
    writable(r, 'updated');
    const where = r.whereId(req.params.id as string);
    const body = requireObject(req.body);
    const values = parseBody(r.model.updateSchema!, writableInput(r.model, body, r.model.updatable, r.echoedFields), r.model.apiName) as Row;
    const seen = body[VERSION_FIELD];
    if (seen !== undefined && typeof seen !== 'string') throw badRequest('Invalid input', { [VERSION_FIELD]: 'Expected the version the record was loaded with' });
    const updated = await db.transaction(async (tx) => {
      const before = await selectOne(tx, r, where, true);
      if (!before) throw notFound(`${r.name} ${req.params.id} does not exist.`);
      // Optimistic concurrency: the form echoes the version it loaded; a different one means someone wrote since.
      if (seen !== undefined && r.present(before)[VERSION_FIELD] !== seen) throw conflict(STALE_MESSAGE);
      if (!Object.keys(values).length) return r.present(before);
      if (r.updatedAt && !(r.updatedAt.key in values)) values[r.updatedAt.key] = new Date();
      const presented = r.present(await adoption.dialect.updateRow(tx, r, values, where));
      await auditAdopted(adoption, tx, req, { action: 'update', resource: r.name, recordId: presented.id as string, before: r.present(before), after: presented });
      return presented;
    });
    res.json(updated);
  });

  router.delete('/:resource/:id', admin, async (req, res) => {
    const r = resourceOf(req);
    writable(r, 'deleted');
    const where = r.whereId(req.params.id as string);
    const deleted = await db.transaction(async (tx) => {
      const before = await selectOne(tx, r, where, true);
      if (!before) throw notFound(`${r.name} ${req.params.id} does not exist.`);
      await tx.delete(r.table).where(where);
      const presented = r.present(before);
      await auditAdopted(adoption, tx, req, { action: 'delete', resource: r.name, recordId: presented.id as string, before: presented });
      return presented;
    });
    res.json(deleted);
  });

  return router;
}
