import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { canRole } from '../../../contract';
import { approvalRequests, users } from '../db/schema';
import { redact } from '../ops/writeAudit';
import type { ApiRow } from '../resources/types';
import type { UseCaseActor } from '../usecases';
import { ConflictError, DomainError, NotFoundError } from '../usecases/domainErrors';
import { audit, modelOf, updateRecord, type ActionContext, type Row } from '../usecases/records';
import { expireStale } from './holdForApproval';
import { entryOf } from './registry';
import { readTargets, sameSnapshot, snapshotOf } from './targets';

/** A request as the API shows it (its stored input and key stay hidden). */
type ApprovalRequest = Omit<ApiRow<typeof approvalRequests>, 'input' | 'idempotency_key'>;

export const decisionInput = z.object({ note: z.string().trim().max(500, 'At most 500 characters').optional() });

export type Decision = 'approve' | 'reject';

/**
 * Approves or rejects a pending request (POST /api/approval_requests/:id/approve|reject {note?}).
 *
 * Approving runs the stored action with the same use case, inside this one transaction: the
 * request row is locked first, so of two admins approving at once the second finds it decided.
 * The action's audit rows name the requester as the actor and this admin in `approved_by_*`.
 * Refused (409): your own request, one already decided or expired, or one whose target records
 * changed since it was made. A use case's refusal marks the request `failed` with the reason.
 * The requester may reject (withdraw) their own request.
 */
export async function decideApproval(deps: ActionContext, actor: UseCaseActor, input: { id: number; decision: Decision; note?: string }): Promise<Row> {
  const model = modelOf(deps, 'approval_requests');
  // A refusal that must still record what it found (expired, stale, failed) commits, then throws.
  let refusal: DomainError | undefined;
  const decided = await deps.db.transaction(async (tx) => {
    // One read, locking the row: of two admins deciding at once, the second waits here and then
    // finds the request decided. The stored input comes with it, never into `before` (audited).
    const [locked] = await tx
      .select({ request: model.selection, stored: approvalRequests.input })
      .from(approvalRequests)
      .where(eq(approvalRequests.id, input.id))
      .for('update');
    if (!locked) throw new NotFoundError(`approval_requests ${input.id} does not exist.`);
    const before = locked.request as ApprovalRequest;
    const approving = input.decision === 'approve';
    if (approving && before.requested_by !== null && before.requested_by === actor.actorId) {
      // 409, not 403: the operator has the role, and a 403 would read to the console as a missing one.
      throw new ConflictError('You asked for this change; another admin must approve it.');
    }
    if (before.status !== 'pending') {
      const by = before.decided_by_email ? ` by ${before.decided_by_email}` : '';
      throw new ConflictError(`This request is already ${before.status}${by}; nothing was run.`);
    }
    const decision = { decidedBy: actor.actorId, decidedByEmail: actor.actorEmail, decidedAt: new Date(), decisionNote: input.note ?? null };
    const close = async (values: Row, auditAction: string) => {
      const after = await updateRecord(tx, model, input.id, values);
      await audit(tx, actor, model, auditAction, before, after);
      return after;
    };
    if (before.expires_at.getTime() <= Date.now()) {
      await expireStale(tx);
      refusal = new ConflictError('This request has expired; nothing was run. Ask for the change again if it is still wanted.');
      return { ...before, status: 'expired' };
    }
    if (!approving) return close({ ...decision, status: 'rejected' }, 'reject');

    const entry = entryOf(before.action);
    const { args: storedArgs, targets: snapshot } = locked.stored;
    const parsed = entry?.args.safeParse(entry.unseal ? entry.unseal(deps, storedArgs) : storedArgs);
    if (!entry || !parsed?.success) {
      refusal = new ConflictError('This request’s stored input is no longer valid; nothing was run.');
      return close({ ...decision, status: 'failed', error: refusal.message }, 'approve_failed');
    }
    // The action runs as the requester: they must still be allowed to run it themselves.
    const [requesterNow] =
      before.requested_by === null
        ? []
        : await tx.select({ role: users.role, banned: users.banned }).from(users).where(eq(users.id, before.requested_by));
    if (!requesterNow || requesterNow.banned || !canRole(requesterNow.role, entry.permission, entry.resource)) {
      refusal = new ConflictError(`${before.requested_by_email} may no longer do this themselves (role changed, banned or removed); nothing was run.`);
      return close({ ...decision, status: 'failed', error: refusal.message }, 'approve_failed');
    }
    const targets = await readTargets(deps, tx, entry.resource, entry.targetIds(parsed.data), true);
    if (!sameSnapshot(snapshot, snapshotOf(targets))) {
      refusal = new ConflictError(`The ${entry.resource} record${targets.length === 1 ? '' : 's'} this request is about changed (or went) since it was made; nothing was run. Ask for the change again.`);
      return close({ ...decision, status: 'failed', error: refusal.message }, 'approve_failed');
    }

    const requester = { actorId: before.requested_by, actorEmail: before.requested_by_email, ip: actor.ip, requestId: actor.requestId };
    const approver = { approvedById: actor.actorId ?? undefined, approvedByEmail: actor.actorEmail ?? undefined };
    // The use case runs on this transaction: its own transaction() is then a savepoint, so a
    // refusal undoes only the action and the request can still be marked failed.
    try {
      const result = await entry.run({ db: tx, models: deps.models, keyRing: deps.keyRing }, { ...requester, ...approver }, parsed.data);
      return close({ ...decision, status: 'approved', result: Array.isArray(result) ? result.map((r) => redact(r as Row)) : redact(result as Row) }, 'approve');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      refusal = err;
      return close({ ...decision, status: 'failed', error: err.message }, 'approve_failed');
    }
  });
  if (refusal) throw refusal;
  return decided;
}
