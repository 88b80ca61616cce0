import type { RequestHandler } from 'express';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { badRequest, conflict } from '../../http/errors';
import { parseBody } from '../../http/parseBody';
import { actorOf } from '../../http/request';
import type { badgesCapability } from '../mapping';
import type { Adoption } from '../resources';
import { auditAdopted } from '../records';
import { binder, lockTarget, type Row } from './support';

const awardInput = z.object({ badge_id: z.union([z.string().trim().min(1).max(200), z.number().int()]) });

/**
 * POST /api/<users>/<id>/badges {badge_id}: records the award, adds the badge's XP reward to the
 * user's running total and writes the XP ledger row, in one transaction (OpenCauldron's user_badges,
 * user_xp, xp_transactions). 409 when the user already has the badge.
 */
export function awardBadge(ctx: AppContext, adoption: Adoption, key: string, spec: z.infer<typeof badgesCapability>): RequestHandler {
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

  return async (req, res) => {
    const input = parseBody(awardInput, req.body ?? {});
    const body = await ctx.database.db.transaction(async (tx) => {
      const { row: user } = await lockTarget(tx, users, req);
      const userId = user[userKey.name];
      const [badge] = (await tx.select(badges.selection).from(badges.table).where(eq(badgeKey.column, input.badge_id)).limit(1)) as Row[];
      if (!badge) throw badRequest('Invalid input', { badge_id: `No badge ${String(input.badge_id).slice(0, 60)}` });
      const [held] = await tx.select({ one: sql`1` }).from(awards.table).where(and(eq(awardUser, userId), eq(awardBadgeCol, input.badge_id))).limit(1);
      if (held) throw conflict(`This user already has the badge ${String(input.badge_id)}.`);
      const award: Row = { [spec.awards.user]: userId, [spec.awards.badge]: input.badge_id };
      if (spec.awards.at) award[spec.awards.at] = new Date();
      const awarded = await adoption.dialect.insertRow(tx, awards, award);
      const reward = xpReward ? Number(badge[spec.badges.xp!] ?? 0) : 0;
      let totalXp: number | undefined;
      if (xp && xpUser && xpTotal && spec.xp) {
        const [row] = (await tx.select({ total: xpTotal }).from(xp.table).where(eq(xpUser, userId)).limit(1).for('update')) as Row[];
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
      const result = { id: users.present(user).id, badge: awards.present(awarded), xp_awarded: reward, total_xp: totalXp };
      await auditAdopted(adoption, tx, actorOf(req), { action: 'award_badge', resource: users.name, recordId: result.id as string, after: result });
      return result;
    });
    res.status(201).json(body);
  };
}
