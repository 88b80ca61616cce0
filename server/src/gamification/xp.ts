import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { userXp, xpTransactions } from '../db/schema';

/** Level n needs 50·(n-1)² XP in total. The seed, badge awards, feats and revocations all use this rule. */
export function levelFor(totalXp: number): number {
  return Math.max(1, Math.floor(Math.sqrt(totalXp / 50)) + 1);
}

type XpEntry = typeof xpTransactions.$inferInsert;

/** Moves the stored level to what the total now earns, when it differs. */
async function settleLevel(tx: Tx, userId: number, xp: { total: number; level: number } | undefined) {
  if (xp && levelFor(xp.total) !== xp.level) await tx.update(userXp).set({ level: levelFor(xp.total) }).where(eq(userXp.userId, userId));
}

/** Adds XP to a user's ledger and total, recomputing the level, in the caller's transaction. */
export async function addXp(tx: Tx, entry: XpEntry & { amount: number }) {
  if (entry.amount === 0) return;
  await tx.insert(xpTransactions).values(entry);
  const [xp] = await tx
    .insert(userXp)
    .values({ userId: entry.userId, totalXp: entry.amount, level: levelFor(entry.amount) })
    .onConflictDoUpdate({ target: userXp.userId, set: { totalXp: sql`${userXp.totalXp} + ${entry.amount}`, updatedAt: new Date() } })
    .returning({ total: userXp.totalXp, level: userXp.level });
  await settleLevel(tx, entry.userId, xp);
}

/** Takes XP back with a reversing ledger entry (`amount` > 0 is what is removed); the total never goes below zero. */
export async function removeXp(tx: Tx, entry: XpEntry & { amount: number }) {
  if (entry.amount <= 0) return;
  await tx.insert(xpTransactions).values({ ...entry, amount: -entry.amount });
  const [xp] = await tx
    .update(userXp)
    .set({ totalXp: sql`greatest(${userXp.totalXp} - ${entry.amount}, 0)`, updatedAt: new Date() })
    .where(eq(userXp.userId, entry.userId))
    .returning({ total: userXp.totalXp, level: userXp.level });
  await settleLevel(tx, entry.userId, xp);
}
