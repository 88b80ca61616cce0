import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { credits, creditTransactions, type NewCreditTransaction } from '../db/schema';
import type { ResourceModel } from '../resources/model';
import type { Row } from '../usecases/records';

export interface Balance {
  left_credits: number;
  total_credits: number;
}

const balanceColumns = { left_credits: credits.leftCredits, total_credits: credits.totalCredits };

/**
 * Adds a signed amount to a user's balance, race-free: one conditional UPDATE moves the balance only
 * if it stays >= 0, so concurrent grants and deducts serialise on the row lock and none can overdraw.
 * Returns undefined (and changes nothing) when the balance would go negative.
 */
async function adjustBalance(tx: Tx, userId: number, amount: number): Promise<Balance | undefined> {
  const update = () =>
    tx
      .update(credits)
      .set({
        leftCredits: sql`${credits.leftCredits} + ${amount}`,
        totalCredits: sql`${credits.totalCredits} + ${Math.max(amount, 0)}`,
      })
      .where(and(eq(credits.userId, userId), sql`${credits.leftCredits} + ${amount} >= 0`))
      .returning(balanceColumns);
  const [moved] = await update();
  if (moved) return moved;
  // No row moved: either the balance is too low or the user has no balance row yet. Make sure the
  // row exists, then try again. Not "give up when the insert did nothing": a concurrent first grant
  // may have created the row since our UPDATE looked, and giving up answered a +1 grant with 409
  // "would leave a negative balance". The retried UPDATE (a new statement) sees that row.
  await tx.insert(credits).values({ userId }).onConflictDoNothing({ target: credits.userId });
  const [retried] = await update();
  return retried;
}

/** The user's balance, locked for the rest of the transaction (zero when they have no row). */
export async function lockedBalance(tx: Tx, userId: number): Promise<number> {
  const [row] = await tx.select({ left: credits.leftCredits }).from(credits).where(eq(credits.userId, userId)).for('update');
  return row?.left ?? 0;
}

/**
 * One ledger entry and the balance change it records, in the caller's transaction, so the sum of a
 * user's entries always equals their balance. Undefined when the balance would go negative.
 */
export async function moveCredits(
  tx: Tx,
  ledgerModel: ResourceModel,
  entry: Omit<NewCreditTransaction, 'balanceAfter' | 'id' | 'createdAt'>,
): Promise<{ balance: Balance; transaction: Row } | undefined> {
  const balance = await adjustBalance(tx, entry.userId, entry.amount);
  if (!balance) return undefined;
  const [transaction] = (await tx
    .insert(creditTransactions)
    .values({ ...entry, balanceAfter: balance.left_credits })
    .returning(ledgerModel.selection)) as Row[];
  return { balance, transaction: transaction! };
}
