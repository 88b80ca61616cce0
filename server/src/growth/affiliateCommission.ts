import type { Request } from 'express';
import { z } from 'zod';
import type { Tx } from '../db/client';
import { actorOf } from '../http/request';
import { inTransaction, modelOf, parseRecordId, transitionRecords, validate, type ActionContext } from '../usecases/support';

const MAX_BULK = 1000;

const bulkInput = z.object({
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

type Step = keyof typeof STEPS;

function move(ctx: ActionContext, step: Step, tx: Tx, req: Request, ids: number[]) {
  const s = STEPS[step];
  return transitionRecords(tx, actorOf(req), modelOf(ctx, 'affiliates'), ids, { action: s.action, from: s.from, set: { status: s.to, [s.stamp]: new Date() }, refusal: s.refusal });
}

/** POST /api/affiliates/:id/approve and /pay: one commission, returned as the updated record. */
export function commissionStep(ctx: ActionContext, step: Step) {
  return inTransaction(ctx, async (tx, req) => {
    const [after] = await move(ctx, step, tx, req, [parseRecordId(req.params.id)]);
    return after;
  });
}

/**
 * POST /api/affiliates/approve and /pay {ids}: every listed commission moves, or none does (409 naming
 * the ones in the wrong state, 404 naming unknown ids). Answers `{ data: ids }` like updateMany.
 */
export function commissionStepMany(ctx: ActionContext, step: Step) {
  return inTransaction(ctx, async (tx, req) => {
    const ids = [...new Set(validate(bulkInput, req).ids)];
    const afters = await move(ctx, step, tx, req, ids);
    return { data: afters.map((a) => a.id) };
  });
}
