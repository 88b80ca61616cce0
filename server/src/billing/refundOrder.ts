import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { affiliates, type orders as ordersTable } from '../db/schema';
import type { ApiRow } from '../resources/types';
import { lockedBalance, moveCredits } from './ledger';
import type { UseCaseActor } from '../usecases';
import { ConflictError } from '../usecases/domainErrors';
import { audit, lockRecord, lockWhere, modelOf, reasonSchema, updateRecord, type ModelDeps, type Row } from '../usecases/records';

export const refundInput = z.object({
  reason: reasonSchema.optional(),
  allow_partial: z.boolean({ error: 'true or false' }).optional(),
});

export type RefundOrderInput = z.output<typeof refundInput> & { orderId: number };

/** The refunded order as the API shows it, with what the refund did. */
export type RefundResult = Row & { credits_reversed: number; warnings: string[] };

type Order = ApiRow<typeof ordersTable>;
type Commission = ApiRow<typeof affiliates>;

const dollars = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;

/**
 * Refunds an order (POST /api/orders/:id/refund {reason?, allow_partial?}): paid → refunded, in one transaction with its
 * consequences.
 *
 * Credits: the refund reverses exactly the credits the order granted (a `refund` ledger entry of
 * -order.credits). If the user has already spent some of them, reversing all would overdraw the
 * balance, so the refund is refused with a 409 saying how many are left; the operator either refunds
 * knowingly with `allow_partial: true`, which reverses only what is left (the response's
 * `credits_reversed` and `warnings` say so), or settles it another way. Money back and credits back
 * are a finance decision, never a silent clamp.
 *
 * Commission: a pending or approved commission on the order is reversed (status `reversed`,
 * commission 0). One already paid out stays `paid` (it is a record of money that left) and the
 * response carries a warning so the operator can claw it back outside opsroom.
 */
export function refundOrder(deps: ModelDeps, actor: UseCaseActor, input: RefundOrderInput): Promise<RefundResult> {
  const orders = modelOf(deps, 'orders');
  const ledger = modelOf(deps, 'credit_transactions');
  const affiliatesModel = modelOf(deps, 'affiliates');
  const id = input.orderId;
  return deps.db.transaction(async (tx) => {
    const before = await lockRecord<Order>(tx, orders, id);
    if (before.status !== 'paid') throw new ConflictError(`Only paid orders can be refunded (this one is ${before.status}).`);
    const { user_id: userId, credits: granted } = before;
    const warnings: string[] = [];

    const reverse = (amount: number) =>
      moveCredits(tx, ledger, {
        userId,
        type: 'refund',
        amount: -amount,
        orderId: id,
        actorId: actor.actorId,
        description: input.reason ?? `Refund of order ${before.order_no}`,
      });
    let reversed = 0;
    if (granted > 0) {
      if (await reverse(granted)) reversed = granted;
      else {
        const left = await lockedBalance(tx, userId);
        if (!input.allow_partial) {
          throw new ConflictError(
            `Refunding would leave a negative balance: the order granted ${granted} credits but user ${userId} has only ${left} left. Refund with allow_partial to reverse just those ${left}.`,
            { allow_partial: `Only ${left} of ${granted} credits are left to reverse` },
          );
        }
        if (left > 0 && (await reverse(left))) reversed = left;
        warnings.push(`Only ${reversed} of the ${granted} credits this order granted were left to reverse; the user had spent the rest.`);
      }
    }

    const [was] = await lockWhere<Commission>(tx, affiliatesModel, eq(affiliates.orderId, id));
    if (was) {
      if (was.status === 'pending' || was.status === 'approved') {
        const now = await updateRecord(tx, affiliatesModel, was.id, { status: 'reversed', commissionAmount: 0 });
        await audit(tx, actor, affiliatesModel, 'reverse', was, now);
      } else if (was.status === 'paid') {
        warnings.push(`The affiliate commission for this order (${dollars(was.commission_amount, before.currency)}, affiliate record ${was.id}) was already paid out; recover it outside opsroom.`);
      }
    }

    const after = await updateRecord<Order>(tx, orders, id, { status: 'refunded', refundedAt: new Date() });
    await audit(tx, actor, orders, 'refund', before, { ...after, credits_reversed: reversed });
    return { ...after, credits_reversed: reversed, warnings };
  });
}
