import { eq } from 'drizzle-orm';
import { hasRole, requiredRole } from '../../../../contract';
import { writeAudit, type AuditActor } from '../writeAudit';
import type { Db } from '../../db/client';
import { auditLog } from '../../db/schema';
import type { ResourceModel } from '../../resources/model';
import { ConflictError, ForbiddenError, NotFoundError } from '../../usecases/domainErrors';
import { parseInput } from '../../usecases/parseInput';
import { findRecord, updateRecord, type Row } from '../../usecases/records';
import { INVERSE_ACTIONS, NOT_REVERTIBLE } from './inverseActions';

/** Values as the audit trail stores them (JSON): dates become ISO strings on both sides. */
const asJson = (v: unknown) => JSON.stringify(v ?? null);

export interface RevertDeps {
  db: Db;
  models: Map<string, ResourceModel>;
}

/**
 * Writes the `before` values of one generic edit back, as a new audited write (`revert`, pointing
 * at the row it undoes). Refused (ConflictError) when the record changed since that edit: the same
 * optimistic check the edit form makes, here against the version the audit row recorded; refused
 * (ForbiddenError) when the actor's role may not edit that resource.
 */
export async function revertChange(deps: RevertDeps, actor: AuditActor & { role: string }, input: { auditId: number }): Promise<Row> {
  const { auditId } = input;
  const [entry] = await deps.db.select().from(auditLog).where(eq(auditLog.id, auditId));
  if (!entry) throw new NotFoundError(`audit_log ${auditId} does not exist.`);
  if (entry.action !== 'update' && entry.action !== 'revert') {
    throw new ConflictError(`"${entry.action}" on ${entry.resource} is not reverted by rewriting history. ${INVERSE_ACTIONS[entry.action] ?? NOT_REVERTIBLE}`);
  }
  const model = deps.models.get(entry.resource);
  if (!model?.updateSchema || entry.recordId === null || !entry.before || !entry.after) throw new ConflictError(NOT_REVERTIBLE);
  if (!hasRole(actor.role, requiredRole('update', model.name))) throw new ForbiddenError("You don't have permission to do that.");
  const before = entry.before;
  const after = entry.after;
  const changed = [...model.updatable].filter((name) => name in before && asJson(before[name]) !== asJson(after[name]));
  if (!changed.length) throw new ConflictError('That change set no field an edit can set back; there is nothing to revert.');

  const id = model.id.kind === 'int' ? Number(entry.recordId) : entry.recordId;
  const fields = Object.fromEntries(changed.map((name) => [model.fields.get(name)!.key, before[name]]));
  const values: Row = parseInput(model.updateSchema, fields, model.apiName);

  return deps.db.transaction(async (tx) => {
    const current = await findRecord(tx, model, id, { lock: true });
    if (!current) throw new NotFoundError(`${model.name} ${entry.recordId} no longer exists, so the change cannot be reverted.`);
    const unchangedSince = model.updatedAt
      ? asJson(current.updated_at) === asJson(after.updated_at)
      : changed.every((name) => asJson(current[name]) === asJson(after[name]));
    if (!unchangedSince) throw new ConflictError('This record was changed again after that edit, so reverting it would overwrite the newer changes. Reload the record and edit it instead.');
    if (model.updatedAt) values[model.updatedAt.key] = new Date(Math.max(Date.now(), (current.updated_at as Date).getTime() + 1));
    const reverted = await updateRecord(tx, model, id, values);
    await writeAudit(tx, actor, { action: 'revert', resource: model.name, recordId: entry.recordId, before: current, after: reverted, revertsId: entry.id });
    return reverted;
  });
}
