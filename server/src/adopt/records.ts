import { and, asc, desc, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { writeAudit, type AuditActor } from '../ops/writeAudit';
import { MAX_PAGE, type ListQuery } from '../resources/listQuery';
import { STALE_MESSAGE } from '../resources/router';
import type { Total } from '../resources/totals';
import { ConflictError, InvalidInputError, NotFoundError } from '../usecases/domainErrors';
import { VERSION_FIELD, type Adoption, type AdoptedResource } from './resources';

type Row = Record<string, unknown>;

/** What the adopted-table use cases need: the adopted database (writes on `db`, lists on `readDb`) and its adoption. */
export interface AdoptedDeps {
  db: Db;
  readDb: Db;
  adoption: Adoption;
  /** Lists count exactly up to this many rows, then estimate. */
  exactCountLimit: number;
}

/** Audit rows of an adopted database go to opsroom's audit log, in the same transaction as the change. */
export const auditAdopted = (adoption: Adoption, tx: Tx, actor: AuditActor, entry: Parameters<typeof writeAudit>[2]) =>
  writeAudit(tx, actor, entry, adoption.dialect.opsroom.auditLog as never);

/** The audit row's record id: the id the API shows (a number, a text key, a composite key's JSON). */
export const recordIdOf = (row: Row): string => String(row.id);

const missing = (r: AdoptedResource, id: string) => new NotFoundError(`${r.name} ${id} does not exist.`);

async function selectOne(tx: Tx, r: AdoptedResource, where: SQL, lock = false): Promise<Row | undefined> {
  const q = tx.select(r.selection).from(r.table).where(where).limit(1);
  const [row] = await (lock ? q.for('update') : q);
  return row;
}

/**
 * A row's key as the caller parsed it: `where` selects it (resource.whereId), `id` names it in messages.
 * Parsed by the caller so a bad id is refused before the body is looked at, as it always was.
 */
export interface AdoptedKey {
  id: string;
  where: SQL;
}

/** One page of an adopted table, presented for the API; `idWhere` narrows it to given keys (getMany, references). */
export async function listAdopted(
  deps: AdoptedDeps,
  _actor: AuditActor,
  input: { resource: AdoptedResource; query: ListQuery; idWhere?: SQL },
): Promise<{ rows: Row[]; total: Total }> {
  const { resource: r, query: q, idWhere } = input;
  const sortable = new Set([...r.spec.sortable, ...r.spec.id]);
  if (!sortable.has(q.sort[0])) throw new InvalidInputError(`Cannot sort ${r.name} by "${q.sort[0]}": it is not indexed (add it to "sortable" in opsroom.adopt.json to allow it).`, { sort: 'not sortable' });
  const where = idWhere ? (q.where ? and(q.where, idWhere) : idWhere) : q.where;
  // The rest of a composite key breaks ties too, so pages never repeat or skip rows.
  const dir = q.sort[1] === 'ASC' ? asc : desc;
  const orderBy = [...q.orderBy, ...r.keyFields.slice(1).map((f) => dir(f.column))];
  const [rows, total] = await Promise.all([
    deps.readDb.select(r.selection).from(r.table).where(where).orderBy(...orderBy).offset(q.offset).limit(q.limit ?? MAX_PAGE),
    deps.adoption.dialect.count(deps.readDb, r, where, deps.exactCountLimit),
  ]);
  return { rows: rows.map((row) => r.present(row)), total };
}

export async function getAdopted(deps: AdoptedDeps, _actor: AuditActor, input: { resource: AdoptedResource; key: AdoptedKey }): Promise<Row> {
  const r = input.resource;
  const [row] = await deps.readDb.select(r.selection).from(r.table).where(input.key.where).limit(1);
  if (!row) throw missing(r, input.key.id);
  return r.present(row);
}

export function createAdopted(deps: AdoptedDeps, actor: AuditActor, input: { resource: AdoptedResource; values: Row }): Promise<Row> {
  const r = input.resource;
  return deps.db.transaction(async (tx) => {
    const after = r.present(await deps.adoption.dialect.insertRow(tx, r, input.values));
    await auditAdopted(deps.adoption, tx, actor, { action: 'create', resource: r.name, recordId: recordIdOf(after), after });
    return after;
  });
}

/** Updates one row; `seenVersion` is the version the form loaded, and a different current one is a conflict. */
export function updateAdopted(
  deps: AdoptedDeps,
  actor: AuditActor,
  input: { resource: AdoptedResource; key: AdoptedKey; values: Row; seenVersion?: string },
): Promise<Row> {
  const { resource: r, values, key } = input;
  const { where } = key;
  return deps.db.transaction(async (tx) => {
    const before = await selectOne(tx, r, where, true);
    if (!before) throw missing(r, key.id);
    // Optimistic concurrency: someone else wrote since the form loaded the row.
    if (input.seenVersion !== undefined && r.present(before)[VERSION_FIELD] !== input.seenVersion) throw new ConflictError(STALE_MESSAGE);
    if (!Object.keys(values).length) return r.present(before);
    if (r.updatedAt && !(r.updatedAt.key in values)) values[r.updatedAt.key] = new Date();
    const presented = r.present(await deps.adoption.dialect.updateRow(tx, r, values, where));
    await auditAdopted(deps.adoption, tx, actor, { action: 'update', resource: r.name, recordId: recordIdOf(presented), before: r.present(before), after: presented });
    return presented;
  });
}

export function deleteAdopted(deps: AdoptedDeps, actor: AuditActor, input: { resource: AdoptedResource; key: AdoptedKey }): Promise<Row> {
  const { resource: r, key } = input;
  const { where } = key;
  return deps.db.transaction(async (tx) => {
    const before = await selectOne(tx, r, where, true);
    if (!before) throw missing(r, key.id);
    await tx.delete(r.table).where(where);
    const presented = r.present(before);
    await auditAdopted(deps.adoption, tx, actor, { action: 'delete', resource: r.name, recordId: recordIdOf(presented), before: presented });
    return presented;
  });
}
