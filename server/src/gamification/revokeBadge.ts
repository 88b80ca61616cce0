import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { badges, xpTransactions } from '../db/schema';
import type { WriteChange } from '../resources/types';
import { removeXp } from './xp';

/**
 * Runs inside `DELETE /api/user_badges/{id}` (single or bulk): the XP the award brought is taken
 * back with a reversing entry, and the total and level follow, in the delete's transaction.
 * What is reversed is the net of this badge's reward entries for the user, not the badge's
 * current xp_reward, so award → revoke → award → revoke always nets to zero.
 */
export async function reverseBadgeXp(tx: Tx, { before }: WriteChange) {
  const { user_id: userId, badge_id: badgeId } = before as { user_id: number; badge_id: string };
  const [net] = await tx
    .select({ xp: sql<number>`coalesce(sum(${xpTransactions.amount}), 0)`.mapWith(Number) })
    .from(xpTransactions)
    .where(and(eq(xpTransactions.userId, userId), eq(xpTransactions.source, 'badge_reward'), eq(xpTransactions.referenceId, badgeId)));
  const amount = net?.xp ?? 0;
  if (amount <= 0) return;
  const [badge] = await tx.select({ name: badges.name }).from(badges).where(eq(badges.id, badgeId));
  await removeXp(tx, { userId, amount, source: 'badge_reward', referenceId: badgeId, description: `Badge revoked: ${badge?.name ?? badgeId}` });
}
