import { and, eq, lte } from 'drizzle-orm';
import { approvalRequests } from '../db/schema';
import type { Db, Tx } from '../db/client';
import type { UseCaseActor } from '../usecases';
import { audit, modelOf, type ActionContext, type Row } from '../usecases/records';
import { APPROVABLE, type ApprovableAction, type ApprovalAction, type ArgsOf } from './registry';
import { readTargets, snapshotOf, type TargetSnapshot } from './targets';

/** What `approval_requests.input` holds: the action's input (sealed where it has a secret) and the targets as they were. */
export interface StoredInput {
  args: Record<string, unknown>;
  targets: TargetSnapshot;
}

/** Pending requests past their expiry become `expired`, so lists and decisions agree on what is still open. */
export async function expireStale(db: Db | Tx) {
  await db
    .update(approvalRequests)
    .set({ status: 'expired' })
    .where(and(eq(approvalRequests.status, 'pending'), lte(approvalRequests.expiresAt, new Date())));
}

/**
 * The gate in front of a guarded action: undefined when it may run now (not guarded, under its
 * threshold, or a target is missing and the use case will say so), otherwise the stored approval
 * request (as the API shows it), and nothing of the action has run.
 */
export async function holdForApproval<K extends ApprovalAction>(deps: ActionContext, actor: UseCaseActor, action: K, args: ArgsOf<K>): Promise<Row | undefined> {
  const config = deps.config.approvals;
  const entry = APPROVABLE[action] as unknown as ApprovableAction<ArgsOf<K>>;
  if (!config || !entry.guarded(config)) return undefined;
  const ids = entry.targetIds(args);
  const { db } = deps;
  const targets = await readTargets(deps, db, entry.resource, ids);
  if (targets.length !== new Set(ids).size || !entry.needsApproval(config, args, targets)) return undefined;

  const model = modelOf(deps, 'approval_requests');
  const stored: StoredInput = { args: entry.seal?.(deps, args) ?? (args as Record<string, unknown>), targets: snapshotOf(targets) };
  return db.transaction(async (tx) => {
    await expireStale(tx);
    const [request] = (await tx
      .insert(approvalRequests)
      .values({
        action,
        input: stored as unknown as Record<string, unknown>,
        summary: entry.summary(args, targets),
        resource: entry.resource,
        recordId: ids.length === 1 ? String(ids[0]) : null,
        requestedBy: actor.actorId,
        requestedByEmail: actor.actorEmail ?? 'system',
        expiresAt: new Date(Date.now() + config.expiresMs),
      })
      .returning(model.selection)) as Row[];
    await audit(tx, actor, model, 'request_approval', null, request!);
    return request!;
  });
}
