import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { creditTransactions, creditTransactionsArchive, users } from '../db/schema';
import { creditTransactionsResource } from './resources';
import { ResourceModel } from '../resources/model';
import type { AnyResourceConfig } from '../resources/types';
import { isUniqueViolation } from '../db/errors';
import { moveCredits, type Balance } from './ledger';
import { NotFoundError, type UseCaseActor, type UseCaseDeps } from '../usecases/index';

/** Chameleon's amounts: 100 credits once on sign-up, 1 credit per daily check-in. */
export const NEW_USER_BONUS_CREDITS = 100;
export const DAILY_CHECK_IN_CREDITS = 1;

const ledgerModel = new ResourceModel(creditTransactionsResource as AnyResourceConfig);

export interface RewardResult {
  /** False when this reward was already given (the call is a harmless repeat). */
  granted: boolean;
  balance?: Balance;
}

/** A key already used, in the live ledger or in the archive (db:archive moves old rows there). */
async function alreadyGranted(tx: Tx, key: string): Promise<boolean> {
  const [live] = await tx.select({ id: creditTransactions.id }).from(creditTransactions).where(eq(creditTransactions.idempotencyKey, key)).limit(1);
  if (live) return true;
  const [archived] = await tx.select({ id: creditTransactionsArchive.id }).from(creditTransactionsArchive).where(eq(creditTransactionsArchive.idempotencyKey, key)).limit(1);
  return Boolean(archived);
}

async function reward(deps: UseCaseDeps, actor: UseCaseActor, userId: number, key: string, entry: { type: 'new_user' | 'ping'; amount: number; description: string }): Promise<RewardResult> {
  try {
    return await deps.db.transaction(async (tx) => {
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
      if (!user) throw new NotFoundError(`users ${userId} does not exist.`);
      if (await alreadyGranted(tx, key)) return { granted: false };
      const moved = await moveCredits(tx, ledgerModel, { userId, ...entry, actorId: actor.actorId, idempotencyKey: key });
      return { granted: true, balance: moved!.balance };
    });
  } catch (err) {
    // Two calls raced past the check; the unique key let one through and rolled this one back.
    if (isUniqueViolation(err)) return { granted: false };
    throw err;
  }
}

/** The sign-up bonus, once per user however often it is called. */
export function grantNewUserBonus(deps: UseCaseDeps, actor: UseCaseActor, input: { userId: number }): Promise<RewardResult> {
  return reward(deps, actor, input.userId, `new_user:user:${input.userId}`, { type: 'new_user', amount: NEW_USER_BONUS_CREDITS, description: 'New user bonus' });
}

/** The daily check-in credit: once per user per UTC day. */
export function dailyCheckIn(deps: UseCaseDeps, actor: UseCaseActor, input: { userId: number; now?: Date }): Promise<RewardResult> {
  const day = (input.now ?? new Date()).toISOString().slice(0, 10);
  return reward(deps, actor, input.userId, `ping:user:${input.userId}:${day}`, { type: 'ping', amount: DAILY_CHECK_IN_CREDITS, description: `Daily check-in ${day}` });
}

