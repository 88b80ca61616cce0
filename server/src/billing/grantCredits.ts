import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/client';
import { credits, creditTransactions, users } from '../db/schema';
import { lockedBalance, moveCredits } from './ledger';
import { ConflictError, NotFoundError } from '../usecases/domainErrors';
import type { UseCaseActor } from '../usecases';
import { isUniqueViolation } from '../db/errors';
import { audit, modelOf, reasonSchema, type ModelDeps, type Row } from '../usecases/records';

const MAX_ADJUSTMENT = 1_000_000;

export const grantInput = z.object({
  amount: z
    .number({ error: 'A whole number of credits' })
    .int('A whole number of credits')
    .min(-MAX_ADJUSTMENT, `At most ${MAX_ADJUSTMENT.toLocaleString('en')} at once`)
    .max(MAX_ADJUSTMENT, `At most ${MAX_ADJUSTMENT.toLocaleString('en')} at once`)
    .refine((n) => n !== 0, 'Must not be zero'),
  reason: reasonSchema,
});

export type GrantCreditsInput = z.output<typeof grantInput> & {
  userId: number;
  /** The caller's retry key (an HTTP Idempotency-Key); namespaced here by actor and user. */
  idempotencyKey?: string;
};

export interface CreditAdjustment {
  id: number;
  left_credits: number;
  total_credits: number;
  /** The ledger entry, shaped as GET /api/credit_transactions shows it. */
  transaction: Row;
}

export interface GrantCreditsResult {
  /** True when the key had already been used for this adjustment: nothing moved, the earlier entry is returned. */
  replayed: boolean;
  adjustment: CreditAdjustment;
}

/** The key as stored: one actor's key can never replay another's grant or a grant to someone else. */
const storedKey = (actor: UseCaseActor, userId: number, key: string) => `admin_adjust:operator:${actor.actorId}:user:${userId}:${key}`;

/**
 * A retried request: the original ledger row and the user's balance as it is now (which is the
 * original result unless something else moved the balance since). Refuses a key reused for a
 * different adjustment, which is a client bug that must not pass silently.
 */
async function replay(db: Db | Tx, key: string, userId: number, input: GrantCreditsInput, ledgerSelection: Row): Promise<CreditAdjustment | undefined> {
  const [original] = (await db.select(ledgerSelection as never).from(creditTransactions).where(eq(creditTransactions.idempotencyKey, key)).limit(1)) as Row[];
  if (!original) return undefined;
  if (original.amount !== input.amount || original.description !== input.reason) {
    throw new ConflictError('This Idempotency-Key was already used for a different adjustment; use a new key for a new adjustment.');
  }
  const [balance] = await db.select({ left_credits: credits.leftCredits, total_credits: credits.totalCredits }).from(credits).where(eq(credits.userId, userId));
  return { id: userId, ...balance!, transaction: original };
}

/**
 * Grants (amount > 0) or deducts (amount < 0) credits: one ledger entry (admin_adjust) and the
 * balance change together, audited; refuses to take a balance below zero. Safe to retry with the
 * same idempotency key.
 */
export async function grantCredits(deps: ModelDeps, actor: UseCaseActor, input: GrantCreditsInput): Promise<GrantCreditsResult> {
  const ledger = modelOf(deps, 'credit_transactions');
  const usersModel = modelOf(deps, 'users');
  const { userId } = input;
  const key = input.idempotencyKey === undefined ? undefined : storedKey(actor, userId, input.idempotencyKey);
  try {
    return await deps.db.transaction(async (tx) => {
      if (key) {
        const earlier = await replay(tx, key, userId, input, ledger.selection);
        if (earlier) return { replayed: true, adjustment: earlier };
      }
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
      if (!user) throw new NotFoundError(`users ${userId} does not exist.`);
      const moved = await moveCredits(tx, ledger, {
        userId,
        type: 'admin_adjust',
        amount: input.amount,
        description: input.reason,
        actorId: actor.actorId,
        idempotencyKey: key ?? null,
      });
      if (!moved) {
        const left = await lockedBalance(tx, userId);
        throw new ConflictError(`Removing ${-input.amount} credits would leave a negative balance: user ${userId} has ${left}.`, { amount: `At most -${left}` });
      }
      const adjustment = { id: userId, ...moved.balance, transaction: moved.transaction };
      const before = { id: userId, left_credits: moved.balance.left_credits - input.amount, total_credits: moved.balance.total_credits - Math.max(input.amount, 0) };
      await audit(tx, actor, usersModel, 'adjust_credits', before, adjustment);
      return { replayed: false, adjustment };
    });
  } catch (err) {
    // Two identical requests raced past the replay check: the loser hit the unique key, its
    // transaction rolled back, and the winner's committed result is what both should see.
    if (key && isUniqueViolation(err)) {
      const earlier = await replay(deps.db, key, userId, input, ledger.selection);
      if (earlier) return { replayed: true, adjustment: earlier };
    }
    throw err;
  }
}
