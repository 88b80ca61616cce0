import { and, eq, inArray, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { writeAudit } from '../ops/writeAudit';
import type { AppContext } from '../context';
import type { Tx } from '../db/client';
import type { UseCaseActor as Actor, UseCaseDeps } from '.';
import { ConflictError, NotFoundError } from './domainErrors';
import type { ResourceModel } from '../resources/model';

/** A record as a resource model selects it: API (snake_case) names, hidden columns absent. */
export type Row = Record<string, unknown>;

/** What a model-based use case reads: its database as `db` and the resource models for API-shaped selects. */
export interface ModelDeps extends UseCaseDeps {
  models: Map<string, ResourceModel>;
}

/** What routes hand model-based use cases: the app context as well (config, key ring, logger). */
export interface ActionContext extends AppContext, ModelDeps {}

export function modelOf(ctx: { models: Map<string, ResourceModel> }, name: string): ResourceModel {
  const model = ctx.models.get(name);
  if (!model) throw new Error(`actions: no resource model "${name}"`);
  return model;
}

/**
 * Reads one record shaped for the API, optionally locked until the transaction ends. `R` names the
 * row's shape (`ApiRow<typeof table>`) for callers that know which table the model serves.
 */
export async function findRecord<R extends Row = Row>(tx: Tx, model: ResourceModel, id: number | string, { lock = false } = {}): Promise<R | undefined> {
  const query = tx.select(model.selection).from(model.config.table).where(eq(model.id.column, id)).limit(1);
  const [row] = await (lock ? query.for('update') : query);
  return row as R | undefined;
}

/** Reads and locks the records `where` selects, in id order, shaped for the API (at most `limit`). */
export async function lockWhere<R extends Row = Row>(tx: Tx, model: ResourceModel, where: SQL, limit?: number): Promise<R[]> {
  const query = tx.select(model.selection).from(model.config.table).where(where).orderBy(model.id.column);
  const rows = await (limit === undefined ? query : query.limit(limit)).for('update');
  return rows as R[];
}

/** Reads and locks one record for the rest of the transaction; NotFoundError if it is absent. */
export async function lockRecord<R extends Row = Row>(tx: Tx, model: ResourceModel, id: number | string): Promise<R> {
  const row = await findRecord<R>(tx, model, id, { lock: true });
  if (!row) throw new NotFoundError(`${model.name} ${id} does not exist.`);
  return row;
}

/** Updates one record and returns it shaped for the API. */
export async function updateRecord<R extends Row = Row>(tx: Tx, model: ResourceModel, id: number | string, values: Row): Promise<R> {
  const [row] = await tx.update(model.config.table).set(values).where(eq(model.id.column, id)).returning(model.selection);
  return row as R;
}

/** One audit row for one action on one record, in the action's transaction. */
export function audit(tx: Tx, actor: Actor, model: ResourceModel, action: string, before: Row | null, after: Row | null) {
  const recordId = (after?.id ?? before?.id ?? null) as number | string | null;
  return writeAudit(tx, actor, { action, resource: model.name, recordId, before, after });
}

/**
 * A status change on a batch of records, all or nothing: every id must exist (404 naming the missing)
 * and be in `from` (409 naming the ones that are not); each row is updated and audited. `refusal` is
 * the rule in words ("Only pending commissions can be approved"); the 409 adds which records broke it.
 */
export async function transitionRecords(
  tx: Tx,
  actor: Actor,
  model: ResourceModel,
  ids: number[],
  change: { action: string; from: string; set: Row; refusal: string },
): Promise<Row[]> {
  const status = model.fields.get('status')!.column;
  const befores = await lockRecords<{ id: number; status: string }>(tx, model, ids);
  const wrong = befores.filter((r) => r.status !== change.from);
  if (wrong.length) {
    if (ids.length === 1) throw new ConflictError(`${change.refusal} (this one is ${wrong[0]!.status}).`);
    const list = wrong.map((r) => `${r.id} (${r.status})`).join(', ');
    throw new ConflictError(`${change.refusal}; nothing was changed. Not ${change.from}: ${list}.`, { ids: wrong.map((r) => r.id).join(', ') });
  }
  const afters = await tx
    .update(model.config.table)
    .set(change.set)
    .where(and(inArray(model.id.column, ids), eq(status, change.from)))
    .returning(model.selection);
  const byId = new Map(afters.map((a) => [a.id, a]));
  for (const before of befores) await audit(tx, actor, model, change.action, before, byId.get(before.id) ?? null);
  return befores.map((b) => byId.get(b.id)!);
}

const missingRecords = (model: ResourceModel, ids: number[], missing: number[]) =>
  ids.length === 1 ? `${model.name} ${missing[0]} does not exist.` : `No ${model.name} with id ${missing.join(', ')}; nothing was changed.`;

/**
 * Reads and locks a batch of records by id, in id order, all or nothing: NotFoundError naming the
 * ids that do not exist (in `describeMissing`'s words when given).
 */
export async function lockRecords<R extends Row & { id: number }>(
  tx: Tx,
  model: ResourceModel,
  ids: number[],
  describeMissing: (missing: number[]) => string = (missing) => missingRecords(model, ids, missing),
): Promise<(Row & R)[]> {
  const rows = await lockWhere<Row & R>(tx, model, inArray(model.id.column, ids));
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new NotFoundError(describeMissing(missing));
  return rows;
}

export const reasonSchema = z.string().trim().min(1, 'Required').max(500, 'At most 500 characters');
