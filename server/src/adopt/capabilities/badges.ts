import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { UseCaseActor } from '../../usecases';
import { ConflictError, InvalidInputError } from '../../usecases/domainErrors';
import type { badgesCapability } from '../mapping';
import type { Adoption } from '../resources';
import { auditAdopted } from '../records';
import { binder, lockTarget, type CapabilityDeps, type Row, type TargetInput } from './support';

/** The body of POST /api/<users>/<id>/badges. */
export const awardInput = z.object({ badge_id: z.union([z.string().trim().min(1).max(200), z.number().int()]) });

export type AwardBadgeInput = TargetInput & { badgeId: string | number };

export interface BadgeAward {
  /** The user's id as the API shows it. */
  id: unknown;
  /** The new row of the awards table, as GET /api/<awards> shows it. */
  badge: Row;
  xp_awarded: number;
  /** The user's XP total afterwards, when the mapping has an XP table. */
  total_xp?: number;
}

export type AwardBadge = (deps: CapabilityDeps, actor: UseCaseActor, input: AwardBadgeInput) => Promise<BadgeAward>;

/**
 * Records a badge award, adds the badge's XP reward to the user's running total and writes the XP
 * ledger row, in one transaction (OpenCauldron's user_badges, user_xp, xp_transactions). Refused
 * when the user already has the badge. Binds the mapping's columns now, so a wrong name stops start-up.
 */
export function badgesUseCase(adoption: Adoption, key: string, spec: z.infer<typeof badgesCapability>): AwardBadge {
  const bind = binder(adoption, key);
  const users = bind.resource('resource', spec.resource);
  const badges = bind.resource('badges.resource', spec.badges.resource);
  const awards = bind.resource('awards.resource', spec.awards.resource);
  const awardUser = bind.column('awards.user', awards, spec.awards.user);
  const awardBadgeCol = bind.column('awards.badge', awards, spec.awards.badge);
  const xpReward = spec.badges.xp ? bind.column('badges.xp', badges, spec.badges.xp) : undefined;
  const xp = spec.xp ? bind.resource('xp.resource', spec.xp.resource) : undefined;
  const xpUser = xp && spec.xp ? bind.column('xp.user', xp, spec.xp.user) : undefined;
  const xpTotal = xp && spec.xp ? bind.column('xp.total', xp, spec.xp.total) : undefined;
  const xpLedger = spec.xpLedger ? bind.resource('xpLedger.resource', spec.xpLedger.resource) : undefined;
  const badgeKey = badges.keyFields[0];
  const userKey = users.keyFields[0];
  if (!badgeKey || !userKey) throw new Error(`capabilities.${key}: badges and users need a single-column key`);

  return (deps, actor, input) =>
    deps.db.transaction(async (tx) => {
      const { badgeId } = input;
      const { row: user } = await lockTarget(tx, users, input.id);
      const userId = user[userKey.name];
      const [badge] = await tx.select(badges.selection).from(badges.table).where(eq(badgeKey.column, badgeId)).limit(1);
      if (!badge) throw new InvalidInputError('Invalid input', { badge_id: `No badge ${String(badgeId).slice(0, 60)}` });
      const [held] = await tx.select({ one: sql`1` }).from(awards.table).where(and(eq(awardUser, userId), eq(awardBadgeCol, badgeId))).limit(1);
      if (held) throw new ConflictError(`This user already has the badge ${String(badgeId)}.`);
      const award: Row = { [spec.awards.user]: userId, [spec.awards.badge]: badgeId };
      if (spec.awards.at) award[spec.awards.at] = new Date();
      const awarded = await adoption.dialect.insertRow(tx, awards, award);
      const reward = xpReward && spec.badges.xp ? Number(badge[spec.badges.xp] ?? 0) : 0;
      let totalXp: number | undefined;
      if (xp && xpUser && xpTotal && spec.xp) {
        const [row] = await tx.select({ total: xpTotal }).from(xp.table).where(eq(xpUser, userId)).limit(1).for('update');
        totalXp = Number(row?.total ?? 0) + reward;
        const set: Row = { [spec.xp.total]: totalXp, ...(spec.xp.updatedAt ? { [spec.xp.updatedAt]: new Date() } : {}) };
        if (row) await tx.update(xp.table).set(set).where(eq(xpUser, userId));
        else await tx.insert(xp.table).values({ ...set, [spec.xp.user]: userId });
      }
      if (xpLedger && spec.xpLedger && reward) {
        const entry: Row = { [spec.xpLedger.user]: userId, [spec.xpLedger.amount]: reward };
        if (spec.xpLedger.type && spec.xpLedger.typeValue) entry[spec.xpLedger.type] = spec.xpLedger.typeValue;
        await tx.insert(xpLedger.table).values(entry);
      }
      const result: BadgeAward = { id: users.present(user).id, badge: awards.present(awarded), xp_awarded: reward, total_xp: totalXp };
      await auditAdopted(adoption, tx, actor, { action: 'award_badge', resource: users.name, recordId: String(result.id), after: { ...result } });
      return result;
    });
}
