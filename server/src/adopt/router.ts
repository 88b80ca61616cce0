import { Router, type Request } from 'express';
import type { SQL } from 'drizzle-orm';
import { requireRole } from '../auth/middleware';
import type { AppContext } from '../context';
import { badRequest, HttpError, notFound } from '../http/errors';
import { parseBody } from '../http/parseBody';
import { actorOf } from '../http/request';
import { MAX_PAGE, parseListQuery } from '../resources/listQuery';
import { requireObject, writableInput } from '../resources/router';
import { createAdopted, deleteAdopted, getAdopted, listAdopted, updateAdopted, type AdoptedDeps, type AdoptedKey } from './records';
import { VERSION_FIELD, type Adoption, type AdoptedResource } from './resources';

type Row = Record<string, unknown>;

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
  const deps: AdoptedDeps = {
    get db() {
      return ctx.database.db;
    },
    get readDb() {
      return ctx.database.readDb;
    },
    adoption,
    // Read per request, as the config can be swapped on a running app.
    get exactCountLimit() {
      return ctx.config.exactCountLimit;
    },
  };
  const admin = requireRole('admin');

  router.param('resource', (req, _res, next, name: string) => {
    const resource = adoption.resources.get(name);
    if (!resource) throw notFound(`Unknown resource "${String(name).slice(0, 60)}".`);
    (req as Request & { adopted: AdoptedResource }).adopted = resource;
    next();
  });
  const resourceOf = (req: Request) => (req as Request & { adopted: AdoptedResource }).adopted;
  const keyOf = (req: Request): AdoptedKey => ({ id: req.params.id as string, where: resourceOf(req).whereId(req.params.id as string) });
  const writable = (r: AdoptedResource, what: 'created' | 'updated' | 'deleted') => {
    const ok = what === 'deleted' ? r.model.deletable && r.keyed : what === 'created' ? r.model.creatable.size > 0 : r.model.updatable.size > 0 && r.keyed;
    if (!ok) throw new HttpError(405, `${r.name} cannot be ${what} through opsroom (${r.spec.kind === 'view' ? 'a view' : r.keyed ? 'read-only in opsroom.adopt.json' : 'it has no primary key'}).`);
  };

  router.get('/:resource', async (req, res) => {
    const r = resourceOf(req);
    const query = { ...(req.query as Row) };
    const { rest, where: idWhere } = splitIdFilter(r, query.filter);
    query.filter = rest;
    if (typeof query.sort === 'string' && !r.model.fields.has('id')) query.sort = query.sort.replace(/^\["id",/, `[${JSON.stringify(r.model.id.name)},`);
    const q = parseListQuery(r.model, query);
    const { rows, total } = await listAdopted(deps, actorOf(req), { resource: r, query: q, idWhere });
    const end = q.offset + rows.length - 1;
    res.set('Content-Range', rows.length ? `${r.name} ${q.offset}-${end}/${total.total}` : `${r.name} */${total.total}`);
    res.set('X-Total-Kind', total.kind);
    res.json(rows);
  });

  router.get('/:resource/:id', async (req, res) => {
    res.json(await getAdopted(deps, actorOf(req), { resource: resourceOf(req), key: keyOf(req) }));
  });

  router.post('/:resource', admin, async (req, res) => {
    const r = resourceOf(req);
    writable(r, 'created');
    const body = requireObject(req.body);
    const values = parseBody(r.model.insertSchema!, writableInput(r.model, body, r.model.creatable, r.echoedFields), r.model.apiName) as Row;
    res.status(201).json(await createAdopted(deps, actorOf(req), { resource: r, values }));
  });

  router.put('/:resource/:id', admin, async (req, res) => {
    const r = resourceOf(req);
    writable(r, 'updated');
    const key = keyOf(req);
    const body = requireObject(req.body);
    const values = parseBody(r.model.updateSchema!, writableInput(r.model, body, r.model.updatable, r.echoedFields), r.model.apiName) as Row;
    const seen = body[VERSION_FIELD];
    if (seen !== undefined && typeof seen !== 'string') throw badRequest('Invalid input', { [VERSION_FIELD]: 'Expected the version the record was loaded with' });
    res.json(await updateAdopted(deps, actorOf(req), { resource: r, key, values, seenVersion: seen }));
  });

  router.delete('/:resource/:id', admin, async (req, res) => {
    const r = resourceOf(req);
    writable(r, 'deleted');
    res.json(await deleteAdopted(deps, actorOf(req), { resource: r, key: keyOf(req) }));
  });

  return router;
}
