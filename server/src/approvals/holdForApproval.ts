import { and, eq, lte } from 'drizzle-orm';
import { approvalRequests } from '../db/schema';
import type { Db, Tx } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import type { UseCaseActor } from '../usecases';
import { ConflictError } from '../usecases/domainErrors';
import { audit, modelOf, type ActionContext, type Row } from '../usecases/records';
import { APPROVABLE, type ApprovableAction, type ApprovalAction, type ArgsOf } from './registry';
import { readTargets, snapshotOf, type TargetSnapshot } from './targets';

/** What `approval_requests.input` holds: the action's input (sealed where it has a secret) and the targets as they were. */
export interface StoredInput {
  args: Record<string, unknown>;
  targets: TargetSnapshot;
}

/** A held action: the stored request as the API shows it; `replayed` when an Idempotency-Key found an earlier one. */
export interface Held {
  request: Row;
  replayed: boolean;
}

/** Pending requests past their expiry become `expired`, so lists and decisions agree on what is still open. */
export async function expireStale(db: Db | Tx) {
  await db
    .update(approvalRequests)
    .set({ status: 'expired' })
    .where(and(eq(approvalRequests.status, 'pending'), lte(approvalRequests.expiresAt, new Date())));
}

/** The key as stored: one operator's key never finds another's request, nor one for another kind of action. */
const storedKey = (action: ApprovalAction, actor: UseCaseActor, key: string) => `${action}:operator:${actor.actorId ?? 'system'}:${key}`;

/** Key order and the input schema's normalising (dedupe, sort) aside, the same input. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/**
 * The request an earlier call with this key stored, or undefined. Refuses the key reused for
 * different input, a client bug that must not pass silently (as the direct grant does).
 */
async function replay<A>(deps: ActionContext, entry: ApprovableAction<A>, key: string, args: A): Promise<Row | undefined> {
  const model = modelOf(deps, 'approval_requests');
  const [earlier] = await deps.db
    .select({ request: model.selection, input: approvalRequests.input })
    .from(approvalRequests)
    .where(eq(approvalRequests.idempotencyKey, key))
    .limit(1);
  if (!earlier) return undefined;
  const stored = entry.args.safeParse(entry.unseal ? entry.unseal(deps, earlier.input.args) : earlier.input.args);
  const sent = entry.args.safeParse(args);
  if (!stored.success || !sent.success || canonical(stored.data) !== canonical(sent.data)) {
    throw new ConflictError('This Idempotency-Key was already used for a different request; use a new key for a new request.');
  }
  return earlier.request;
}

/**
 * The gate in front of a guarded action: undefined when it may run now (not guarded, under its
 * threshold, or a target is missing and the use case will say so), otherwise the stored approval
 * request, and nothing of the action has run. With an Idempotency-Key, a retry gets the request its
 * first call stored (whatever its status now) instead of a second one.
 */
export async function holdForApproval<K extends ApprovalAction>(
  deps: ActionContext,
  actor: UseCaseActor,
  action: K,
  args: ArgsOf<K>,
  idempotencyKey?: string,
): Promise<Held | undefined> {
  const config = deps.config.approvals;
  const entry = APPROVABLE[action] as unknown as ApprovableAction<ArgsOf<K>>;
  if (!config || !entry.guarded(config)) return undefined;
  const key = idempotencyKey === undefined ? undefined : storedKey(action, actor, idempotencyKey);
  // Before the threshold: a retry answers as its first call did even if the targets moved since.
  if (key) {
    const earlier = await replay(deps, entry, key, args);
    if (earlier) return { request: earlier, replayed: true };
  }
  const ids = entry.targetIds(args);
  const { db } = deps;
  const targets = await readTargets(deps, db, entry.resource, ids);
  if (targets.length !== new Set(ids).size || !entry.needsApproval(config, args, targets)) return undefined;

  const model = modelOf(deps, 'approval_requests');
  const stored: StoredInput = { args: entry.seal?.(deps, args) ?? (args as Record<string, unknown>), targets: snapshotOf(targets) };
  try {
    const request = await db.transaction(async (tx) => {
      await expireStale(tx);
      const [row] = (await tx
        .insert(approvalRequests)
        .values({
          action,
          input: stored,
          summary: entry.summary(args, targets),
          resource: entry.resource,
          recordId: ids.length === 1 ? String(ids[0]) : null,
          requestedBy: actor.actorId,
          requestedByEmail: actor.actorEmail ?? 'system',
          idempotencyKey: key ?? null,
          expiresAt: new Date(Date.now() + config.expiresMs),
        })
        .returning(model.selection)) as Row[];
      await audit(tx, actor, model, 'request_approval', null, row!);
      return row!;
    });
    return { request, replayed: false };
  } catch (err) {
    // Two calls with one key raced past the replay check: the loser hit the unique index and
    // rolled back, and the winner's request is what both should see.
    if (key && isUniqueViolation(err)) {
      const earlier = await replay(deps, entry, key, args);
      if (earlier) return { request: earlier, replayed: true };
    }
    throw err;
  }
}
