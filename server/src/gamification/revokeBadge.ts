import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { badges, userXp, xpTransactions } from '../db/schema';
import { levelFor } from '../db/seed/demo';
import type { WriteChange } from '../resources/types';

/**
 * Runs inside `DELETE /api/user_badges/{id}` (single or bulk): the XP the award brought is taken
 * back with a reversing entry, and the total and level follow, in the delete's transaction.
 * What is reversed is the net of this badge's reward entries for the user, not the badge's
 * current xp_reward, so award → revoke → award → revoke always nets to zero.
 */
export async function reverseBadgeXp(tx: Tx, { before }: WriteChange) {
  const userId = before.user_id as number;
  const badgeId = before.badge_id as string;
  const [net] = await tx
    .select({ xp: sql<number>`coalesce(sum(${xpTransactions.amount}), 0)`.mapWith(Number) })
    .from(xpTransactions)
    .where(and(eq(xpTransactions.userId, userId), eq(xpTransactions.source, 'badge_reward'), eq(xpTransactions.referenceId, badgeId)));
  const amount = net?.xp ?? 0;
  if (amount <= 0) return;
  const [badge] = await tx.select({ name: badges.name }).from(badges).where(eq(badges.id, badgeId));
  await tx.insert(xpTransactions).values({ userId, amount: -amount, source: 'badge_reward', referenceId: badgeId, description: `Badge revoked: ${badge?.name ?? badgeId}` });
  const [xp] = await tx
    .update(userXp)
    .set({ totalXp: sql`greatest(${userXp.totalXp} - ${amount}, 0)`, updatedAt: new Date() })
    .where(eq(userXp.userId, userId))
    .returning({ total: userXp.totalXp, level: userXp.level });
  if (xp && levelFor(xp.total) !== xp.level) await tx.update(userXp).set({ level: levelFor(xp.total) }).where(eq(userXp.userId, userId));
}
