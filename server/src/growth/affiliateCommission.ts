import { z } from 'zod';
import type { UseCaseActor } from '../usecases';
import { modelOf, transitionRecords, type ModelDeps, type Row } from '../usecases/records';

const MAX_BULK = 1000;

export const bulkInput = z.object({
  ids: z
    .array(z.number({ error: 'Ids are whole numbers' }).int('Ids are whole numbers').min(1, 'Ids are positive').max(2147483647, 'No such id'), { error: 'A list of ids' })
    .min(1, 'At least one id')
    .max(MAX_BULK, `At most ${MAX_BULK} ids at once`),
});

/** The two steps a commission takes after its order is paid: pending → approved → paid. */
const STEPS = {
  approve: { action: 'approve', from: 'pending', to: 'approved', stamp: 'approvedAt', refusal: 'Only pending commissions can be approved' },
  pay: { action: 'pay', from: 'approved', to: 'paid', stamp: 'paidAt', refusal: 'Only approved commissions can be paid' },
} as const;

export type CommissionStep = keyof typeof STEPS;

/**
 * Moves commissions one step (approve or pay), all or nothing: every id must exist (NotFoundError
 * naming the missing) and be in the step's starting state (ConflictError naming the others).
 * Returns the updated records in id order; duplicates count once.
 */
export function moveCommissions(deps: ModelDeps, actor: UseCaseActor, input: { step: CommissionStep; ids: number[] }): Promise<Row[]> {
  const s = STEPS[input.step];
  const ids = [...new Set(input.ids)];
  return deps.db.transaction((tx) =>
    transitionRecords(tx, actor, modelOf(deps, 'affiliates'), ids, { action: s.action, from: s.from, set: { status: s.to, [s.stamp]: new Date() }, refusal: s.refusal }),
  );
}

/** Approves commissions (pending → approved). */
export const approveCommissions = (deps: ModelDeps, actor: UseCaseActor, input: { ids: number[] }) => moveCommissions(deps, actor, { step: 'approve', ids: input.ids });

/** Pays commissions out (approved → paid): the bulk payout. */
export const payCommissions = (deps: ModelDeps, actor: UseCaseActor, input: { ids: number[] }) => moveCommissions(deps, actor, { step: 'pay', ids: input.ids });
