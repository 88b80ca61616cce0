import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { badges, userBadges, users } from '../db/schema';
import type { ApiRow } from '../resources/types';
import { ConflictError, InvalidInputError, NotFoundError, type UseCaseActor } from '../usecases';
import { audit, modelOf, type ActionContext } from '../usecases/records';
import { addXp } from './xp';

export const awardInput = z.object({ badge_id: z.string({ error: 'A badge id' }).trim().min(1, 'Required').max(64, 'No such badge') });

export type BadgeAward = ApiRow<typeof userBadges>;

/**
 * Gives a user a catalogue badge, awarded by the actor: the award, its XP entry (badge_reward) and
 * the user's XP total and level, together, audited. Refuses a badge the user already holds
 * (ConflictError) and a badge that does not exist (InvalidInputError on badge_id).
 */
export async function awardBadge(deps: ActionContext, actor: UseCaseActor, input: { userId: number; badgeId: string }): Promise<BadgeAward> {
  const userBadgesModel = modelOf(deps, 'user_badges');
  const { userId, badgeId } = input;
  return deps.db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!user) throw new NotFoundError(`users ${userId} does not exist.`);
    const [badge] = await tx.select({ id: badges.id, name: badges.name, xp: badges.xpReward }).from(badges).where(eq(badges.id, badgeId));
    if (!badge) throw new InvalidInputError('There is no such badge.', { badge_id: `No badge "${badgeId}"` });

    const [award] = await tx
      .insert(userBadges)
      .values({ userId, badgeId, awardedBy: actor.actorId })
      .onConflictDoNothing({ target: [userBadges.userId, userBadges.badgeId] })
      .returning(userBadgesModel.selection);
    if (!award) throw new ConflictError(`User ${userId} already has the "${badge.name}" badge.`);

    await addXp(tx, { userId, amount: badge.xp, source: 'badge_reward', referenceId: badge.id, description: `Badge: ${badge.name}` });
    await audit(tx, actor, userBadgesModel, 'award', null, award);
    return award as BadgeAward;
  });
}
