import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { badges, userBadges, userXp, users, xpTransactions } from '../db/schema';
import { levelFor } from '../db/seed/demo';
import { badRequest, conflict, notFound } from '../http/errors';
import { operatorOf } from '../http/request';
import { actorOf } from '../http/request';
import { audit, inTransaction, modelOf, parseRecordId, validate, type ActionContext, type Row } from '../usecases/support';

const awardInput = z.object({ badge_id: z.string({ error: 'A badge id' }).trim().min(1, 'Required').max(64, 'No such badge') });

/**
 * POST /api/users/:id/badges {badge_id}: the award, its XP entry (badge_reward) and the user's XP
 * total and level, together. 409 when the user already has the badge; 400 when there is no such badge.
 */
export function awardBadge(ctx: ActionContext) {
  const userBadgesModel = modelOf(ctx, 'user_badges');
  return inTransaction(ctx, async (tx, req) => {
    const userId = parseRecordId(req.params.id);
    const { badge_id: badgeId } = validate(awardInput, req);
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!user) throw notFound(`users ${userId} does not exist.`);
    const [badge] = await tx.select({ id: badges.id, name: badges.name, xp: badges.xpReward }).from(badges).where(eq(badges.id, badgeId));
    if (!badge) throw badRequest('There is no such badge.', { badge_id: `No badge "${badgeId}"` });

    const [award] = (await tx
      .insert(userBadges)
      .values({ userId, badgeId, awardedBy: operatorOf(req).id })
      .onConflictDoNothing({ target: [userBadges.userId, userBadges.badgeId] })
      .returning(userBadgesModel.selection)) as Row[];
    if (!award) throw conflict(`User ${userId} already has the "${badge.name}" badge.`);

    if (badge.xp > 0) {
      await tx.insert(xpTransactions).values({ userId, amount: badge.xp, source: 'badge_reward', referenceId: badge.id, description: `Badge: ${badge.name}` });
      const [xp] = await tx
        .insert(userXp)
        .values({ userId, totalXp: badge.xp, level: levelFor(badge.xp) })
        .onConflictDoUpdate({ target: userXp.userId, set: { totalXp: sql`${userXp.totalXp} + ${badge.xp}`, updatedAt: new Date() } })
        .returning({ total: userXp.totalXp, level: userXp.level });
      const level = levelFor(xp!.total);
      if (level !== xp!.level) await tx.update(userXp).set({ level }).where(eq(userXp.userId, userId));
    }
    await audit(tx, actorOf(req), userBadgesModel, 'award', null, award);
    return award;
  });
}
