import { eq } from 'drizzle-orm';
import { hasRole, requiredRole } from '../../../../contract';
import { writeAudit, type AuditActor } from '../writeAudit';
import type { Db } from '../../db/client';
import { auditLog } from '../../db/schema';
import { badRequest, conflict, forbidden, notFound } from '../../http/errors';
import { parseBody } from '../../http/parseBody';
import type { ResourceModel } from '../../resources/model';
import { INVERSE_ACTIONS, NOT_REVERTIBLE } from './inverseActions';

type Row = Record<string, unknown>;

/** Values as the audit trail stores them (JSON): dates become ISO strings on both sides. */
const asJson = (v: unknown) => JSON.stringify(v ?? null);

export interface RevertDeps {
  db: Db;
  models: Map<string, ResourceModel>;
}

/**
 * Writes the `before` values of one generic edit back, as a new audited write (`revert`, pointing
 * at the row it undoes). Refused with 409 when the record changed since that edit: the same
 * optimistic check the edit form makes, here against the version the audit row recorded.
 */
export async function revertChange(deps: RevertDeps, actor: AuditActor & { role: string }, auditId: number): Promise<Row> {
  const [entry] = await deps.db.select().from(auditLog).where(eq(auditLog.id, auditId));
  if (!entry) throw notFound(`audit_log ${auditId} does not exist.`);
  if (entry.action !== 'update' && entry.action !== 'revert') {
    throw conflict(`"${entry.action}" on ${entry.resource} is not reverted by rewriting history. ${INVERSE_ACTIONS[entry.action] ?? NOT_REVERTIBLE}`);
  }
  const model = deps.models.get(entry.resource);
  if (!model || !model.updateSchema || entry.recordId === null || !entry.before || !entry.after) throw conflict(NOT_REVERTIBLE);
  if (!hasRole(actor.role, requiredRole('update', model.name))) throw forbidden();
  const before = entry.before;
  const after = entry.after;
  const changed = [...model.updatable].filter((name) => name in before && asJson(before[name]) !== asJson(after[name]));
  if (!changed.length) throw conflict('That change set no field an edit can set back; there is nothing to revert.');

  const id = model.id.kind === 'int' ? Number(entry.recordId) : entry.recordId;
  const input = Object.fromEntries(changed.map((name) => [model.fields.get(name)!.key, before[name]]));
  const values = parseBody(model.updateSchema, input, model.apiName) as Row;

  return deps.db.transaction(async (tx) => {
    const [current] = (await tx.select(model.selection).from(model.config.table).where(eq(model.id.column, id)).for('update')) as Row[];
    if (!current) throw notFound(`${model.name} ${entry.recordId} no longer exists, so the change cannot be reverted.`);
    const unchangedSince = model.updatedAt
      ? asJson(current.updated_at) === asJson(after.updated_at)
      : changed.every((name) => asJson(current[name]) === asJson(after[name]));
    if (!unchangedSince) throw conflict('This record was changed again after that edit, so reverting it would overwrite the newer changes. Reload the record and edit it instead.');
    if (model.updatedAt) values[model.updatedAt.key] = new Date(Math.max(Date.now(), (current.updated_at as Date).getTime() + 1));
    const [reverted] = (await tx.update(model.config.table).set(values).where(eq(model.id.column, id)).returning(model.selection)) as Row[];
    await writeAudit(tx, actor, { action: 'revert', resource: model.name, recordId: entry.recordId, before: current, after: reverted, revertsId: entry.id });
    return reverted!;
  });
}

export function parseAuditId(raw: unknown): number {
  const text = String(raw ?? '');
  const n = Number(text);
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw badRequest(`Invalid id "${text.slice(0, 40)}": expected a whole number.`);
  return n;
}
