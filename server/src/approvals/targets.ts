import { inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { modelOf, type ActionContext, type Row } from '../usecases/records';

/** What a request remembers of its targets: each record's `updated_at`, by id (the same check as edits). */
export type TargetSnapshot = Record<string, string>;

/** The target records as the API shows them, in id order; `lock` holds them until the transaction ends. */
export async function readTargets(deps: ActionContext, db: Db | Tx, resource: string, ids: number[], lock = false): Promise<Row[]> {
  const model = modelOf(deps, resource);
  const query = db.select(model.selection).from(model.config.table).where(inArray(model.id.column, ids)).orderBy(model.id.column);
  return (await (lock ? query.for('update') : query)) as Row[];
}

export function snapshotOf(rows: Row[]): TargetSnapshot {
  return Object.fromEntries(rows.map((r) => [String(r.id), r.updated_at instanceof Date ? r.updated_at.toISOString() : String(r.updated_at)]));
}

/** Same records, none changed, none gone. */
export function sameSnapshot(a: TargetSnapshot, b: TargetSnapshot): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
