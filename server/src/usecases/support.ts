import type { Request, RequestHandler } from 'express';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { writeAudit } from '../ops/writeAudit';
import type { AppContext } from '../context';
import type { Tx } from '../db/client';
import { badRequest, notFound } from '../http/errors';
import { parseBody } from '../http/parseBody';
import type { UseCaseActor as Actor } from '.';
import { ConflictError, NotFoundError } from './domainErrors';
import type { ResourceModel } from '../resources/model';

export type Row = Record<string, unknown>;

/** What every use case gets: the app context plus the resource models, for API-shaped selects. */
export interface ActionContext extends AppContext {
  models: Map<string, ResourceModel>;
}

export function modelOf(ctx: ActionContext, name: string): ResourceModel {
  const model = ctx.models.get(name);
  if (!model) throw new Error(`actions: no resource model "${name}"`);
  return model;
}

const INT4_MAX = 2147483647;

/** A path id: 400 when it is not a whole number, 404 when it cannot name a row (past int4). */
export function parseRecordId(raw: unknown): number {
  const text = String(raw ?? '');
  if (!/^\d{1,16}$/.test(text)) throw badRequest(`Invalid id "${text.slice(0, 40)}": expected a whole number.`);
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id > INT4_MAX || id < 1) throw notFound();
  return id;
}

/** Actions with no body accept none or `{}`; anything else is validated like a real body. */
export function bodyOf(req: Request): unknown {
  return req.body === undefined || req.body === null ? {} : req.body;
}

export function validate<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  return parseBody(schema, bodyOf(req));
}

/** Reads one record, shaped for the API (hidden columns absent), locked until the transaction ends; 404 if absent. */
export async function lockRecord(tx: Tx, model: ResourceModel, id: number | string): Promise<Row> {
  const [row] = (await tx.select(model.selection).from(model.config.table).where(eq(model.id.column, id)).limit(1).for('update')) as Row[];
  if (!row) throw new NotFoundError(`${model.name} ${id} does not exist.`);
  return row;
}

/** Updates one record and returns it shaped for the API. */
export async function updateRecord(tx: Tx, model: ResourceModel, id: number | string, values: Row): Promise<Row> {
  const [row] = (await tx.update(model.config.table).set(values).where(eq(model.id.column, id)).returning(model.selection)) as Row[];
  return row!;
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
  const befores = (await tx
    .select(model.selection)
    .from(model.config.table)
    .where(inArray(model.id.column, ids))
    .orderBy(model.id.column)
    .for('update')) as Row[];
  const found = new Set(befores.map((r) => r.id as number));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new NotFoundError(ids.length === 1 ? `${model.name} ${missing[0]} does not exist.` : `No ${model.name} with id ${missing.join(', ')}; nothing was changed.`);
  const wrong = befores.filter((r) => r.status !== change.from);
  if (wrong.length) {
    if (ids.length === 1) throw new ConflictError(`${change.refusal} (this one is ${wrong[0]!.status}).`);
    const list = wrong.map((r) => `${r.id} (${r.status})`).join(', ');
    throw new ConflictError(`${change.refusal}; nothing was changed. Not ${change.from}: ${list}.`, { ids: wrong.map((r) => r.id).join(', ') });
  }
  const afters = (await tx
    .update(model.config.table)
    .set(change.set)
    .where(and(inArray(model.id.column, ids), eq(status, change.from)))
    .returning(model.selection)) as Row[];
  const byId = new Map(afters.map((a) => [a.id, a]));
  for (const before of befores) await audit(tx, actor, model, change.action, before, byId.get(before.id) ?? null);
  return befores.map((b) => byId.get(b.id)!);
}

/** Wraps a handler that runs in one transaction and answers with its result as JSON. */
export function inTransaction(ctx: AppContext, work: (tx: Tx, req: Request) => Promise<unknown>): RequestHandler {
  return async (req, res) => {
    const result = await ctx.database.db.transaction((tx) => work(tx, req));
    res.json(result);
  };
}

/** The Postgres error behind a Drizzle wrapper, if any. */
export function pgErrorOf(err: unknown): { code?: string; constraint?: string } {
  const e = err as { code?: string; constraint?: string; cause?: unknown };
  if (e?.code) return e;
  return e?.cause ? pgErrorOf(e.cause) : {};
}

export const reasonSchema = z.string().trim().min(1, 'Required').max(500, 'At most 500 characters');
