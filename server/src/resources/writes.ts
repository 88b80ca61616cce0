import { eq, inArray, type SQL } from 'drizzle-orm';
import type { AppContext } from '../context';
import type { Tx } from '../db/client';
import { writeAudit } from '../ops/writeAudit';
import type { UseCaseActor } from '../usecases';
import { ConflictError, InvalidInputError } from '../usecases/domainErrors';
import { lockRecord, lockWhere, updateRecord, type Row } from '../usecases/records';
import { MAX_PAGE } from './listQuery';
import type { ResourceModel } from './model';

// The generic writes every resource gets: each one transaction, with the definition's hooks and an
// audit row per record. Inputs arrive validated (the router parses bodies against the model's schemas).

type Deps = AppContext;

export const STALE_MESSAGE = 'This record was changed by someone else since you opened it. Reload it to see their changes, then edit again.';

/**
 * Inserts one record. `hookInput` is the definition's write-only input (a key's plaintext), turned
 * into column values by its onCreate hook; the hook's `extra` (a key shown once) joins the answer only.
 */
export async function createRecord(deps: Deps, actor: UseCaseActor, input: { model: ResourceModel; values: Row; hookInput?: Row }): Promise<Row> {
  const { model } = input;
  let values = input.values;
  let extra: Row | undefined;
  const hook = model.config.onCreate;
  if (hook && input.hookInput) {
    const prepared = hook.toValues(input.hookInput, deps);
    values = { ...values, ...prepared.values };
    extra = prepared.extra;
  }
  const created = await deps.database.db.transaction(async (tx) => {
    const [row] = await tx.insert(model.config.table).values(values).returning(model.selection);
    await writeAudit(tx, actor, { action: 'create', resource: model.name, recordId: row!.id as string, after: row });
    return row!;
  });
  return { ...created, ...extra };
}

/** The version must move forward even when two writes land in the same millisecond, or a writer holding the previous value would pass the stale check. */
const nextVersion = (before: Row) => new Date(Math.max(Date.now(), (before.updated_at as Date).getTime() + 1));

/**
 * Updates one record. `seen` is the updated_at the edit form loaded: a newer row means someone
 * else's change would be lost (ConflictError). No values is no write: the record comes back as it is.
 */
export async function editRecord(deps: Deps, actor: UseCaseActor, input: { model: ResourceModel; id: string | number; values: Row; seen?: Date }): Promise<Row> {
  const { model, id, values, seen } = input;
  return deps.database.db.transaction(async (tx) => {
    const before = await lockRecord(tx, model, id);
    if (seen && (before.updated_at as Date).getTime() !== seen.getTime()) throw new ConflictError(STALE_MESSAGE);
    if (!Object.keys(values).length) return before;
    await model.config.beforeUpdate?.(tx, { id, before, values, actor, ctx: deps });
    if (model.updatedAt) values[model.updatedAt.key] = nextVersion(before);
    const after = await updateRecord(tx, model, id, values);
    await model.config.afterUpdate?.(tx, { id, before, after, actor });
    await writeAudit(tx, actor, { action: 'update', resource: model.name, recordId: id, before, after });
    return after;
  });
}

/** Deletes one record and returns it as it was. */
export async function deleteRecord(deps: Deps, actor: UseCaseActor, input: { model: ResourceModel; id: string | number }): Promise<Row> {
  const { model, id } = input;
  return deps.database.db.transaction(async (tx) => {
    const before = await lockRecord(tx, model, id);
    await model.config.beforeDelete?.(tx, { id, before, actor });
    await tx.delete(model.config.table).where(eq(model.id.column, id));
    await model.config.afterDelete?.(tx, { id, before, actor });
    await writeAudit(tx, actor, { action: 'delete', resource: model.name, recordId: id, before });
    return before;
  });
}

/** Locks what a bulk write's filter selects: at most one page's worth (InvalidInputError past it). */
async function lockTargets(tx: Tx, model: ResourceModel, where: SQL): Promise<(Row & { id: number })[]> {
  const rows = await lockWhere<Row & { id: number }>(tx, model, where, MAX_PAGE + 1);
  if (rows.length > MAX_PAGE) throw new InvalidInputError(`A bulk change touches at most ${MAX_PAGE} records; narrow the filter.`);
  return rows;
}

/** Sets the same values on every record `where` selects, each audited; returns the ids changed. */
export async function updateMany(deps: Deps, actor: UseCaseActor, input: { model: ResourceModel; where: SQL; values: Row }): Promise<number[]> {
  const { model, where, values } = input;
  if (!Object.keys(values).length) throw new InvalidInputError('Nothing to update: send at least one writable field.');
  return deps.database.db.transaction(async (tx) => {
    const befores = await lockTargets(tx, model, where);
    if (!befores.length) return [];
    const ids = befores.map((r) => r.id);
    for (const before of befores) await model.config.beforeUpdate?.(tx, { id: before.id, before, values, actor, ctx: deps });
    const afters = await tx.update(model.config.table).set(values).where(inArray(model.id.column, ids)).returning(model.selection);
    const byId = new Map(afters.map((a) => [a.id, a]));
    for (const before of befores) {
      const after = byId.get(before.id)!;
      await model.config.afterUpdate?.(tx, { id: before.id, before, after, actor });
      await writeAudit(tx, actor, { action: 'update', resource: model.name, recordId: before.id, before, after });
    }
    return ids;
  });
}

/** Deletes every record `where` selects, each audited; returns the ids deleted. */
export async function deleteMany(deps: Deps, actor: UseCaseActor, input: { model: ResourceModel; where: SQL }): Promise<number[]> {
  const { model, where } = input;
  return deps.database.db.transaction(async (tx) => {
    const befores = await lockTargets(tx, model, where);
    if (!befores.length) return [];
    const ids = befores.map((r) => r.id);
    for (const before of befores) await model.config.beforeDelete?.(tx, { id: before.id, before, actor });
    await tx.delete(model.config.table).where(inArray(model.id.column, ids));
    for (const before of befores) await model.config.afterDelete?.(tx, { id: before.id, before, actor });
    for (const before of befores) await writeAudit(tx, actor, { action: 'delete', resource: model.name, recordId: before.id, before });
    return ids;
  });
}
