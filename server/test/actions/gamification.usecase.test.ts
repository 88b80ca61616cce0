import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, badges, generations, userBadges, userXp, xpTransactions } from '../../src/db/schema';
import { awardBadge } from '../../src/gamification/awardBadge';
import { awardFeats } from '../../src/gamification/feats';
import { levelFor } from '../../src/gamification/xp';
import { deleteRecord } from '../../src/resources/writes';
import { SYSTEM_ACTOR } from '../../src/usecases';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/usecases/domainErrors';
import { modelOf } from '../../src/usecases/records';
import { useCaseCaller } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

// Badges, XP and feats called as a job or a CLI would: no Express, typed results and refusals.
describeEachEngine('gamification use cases without HTTP', (server) => {
  const setup = async () => {
    const { deps, actor, db, memberId } = await useCaseCaller(server(), 'admin', 'job-g');
    // A catalogue badge with hostile-looking but valid text: quotes, SQL, emoji, a __proto__-like name.
    const badgeId = `b_${randomUUID().slice(0, 8)}`;
    await db.insert(badges).values({ id: badgeId, name: `__proto__ "Robert'); drop table users;--" 🧪`, description: 'x'.repeat(5000), icon: 'flask-conical', category: 'special', xpReward: 460 });
    return { deps, actor, db, memberId, badgeId };
  };
  const xpOf = async (db: ReturnType<typeof server>['ctx']['database']['db'], userId: number) =>
    (await db.select({ total: userXp.totalXp, level: userXp.level }).from(userXp).where(eq(userXp.userId, userId)))[0];

  it('awarding a badge records the award, its XP entry, the new total and level, and an audit row under the actor', async () => {
    const { deps, actor, db, memberId, badgeId } = await setup();
    const award = await awardBadge(deps, actor, { userId: memberId, badgeId });
    expect(award).toMatchObject({ user_id: memberId, badge_id: badgeId, awarded_by: actor.actorId });
    expect(await xpOf(db, memberId)).toEqual({ total: 460, level: levelFor(460) });
    expect(levelFor(460)).toBe(4);
    const entries = await db.select({ amount: xpTransactions.amount, source: xpTransactions.source, ref: xpTransactions.referenceId }).from(xpTransactions).where(eq(xpTransactions.userId, memberId));
    expect(entries).toEqual([{ amount: 460, source: 'badge_reward', ref: badgeId }]);
    const [row] = await db.select().from(auditLog).where(and(eq(auditLog.resource, 'user_badges'), eq(auditLog.recordId, String(award.id))));
    expect(row).toMatchObject({ action: 'award', actorId: actor.actorId, requestId: 'job-g' });

    await expect(awardBadge(deps, actor, { userId: memberId, badgeId })).rejects.toThrow(ConflictError);
    await expect(awardBadge(deps, actor, { userId: memberId, badgeId: 'no_such_badge' })).rejects.toThrow(InvalidInputError);
    await expect(awardBadge(deps, actor, { userId: 2_000_000_000, badgeId })).rejects.toThrow(NotFoundError);
    expect(await xpOf(db, memberId)).toEqual({ total: 460, level: 4 });
  });

  it('revoking an award takes its XP back and the level follows; award, revoke, award, revoke nets to zero', async () => {
    const { deps, actor, db, memberId, badgeId } = await setup();
    const model = modelOf(deps, 'user_badges');
    for (let round = 0; round < 2; round++) {
      const award = await awardBadge(deps, actor, { userId: memberId, badgeId });
      expect(await xpOf(db, memberId)).toEqual({ total: 460, level: 4 });
      expect(await deleteRecord(deps, actor, { model, id: award.id })).toMatchObject({ id: award.id, badge_id: badgeId });
      expect(await xpOf(db, memberId)).toEqual({ total: 0, level: 1 });
    }
    const amounts = await db.select({ amount: xpTransactions.amount }).from(xpTransactions).where(eq(xpTransactions.userId, memberId)).orderBy(asc(xpTransactions.id));
    expect(amounts.map((a) => a.amount)).toEqual([460, -460, 460, -460]);
    expect(await db.select().from(userBadges).where(eq(userBadges.userId, memberId))).toEqual([]);
  });

  it('re-running feats awards what was earned once, audits an operator’s run and not the app’s own', async () => {
    const { deps, actor, db, memberId } = await setup();
    await db.insert(generations).values({ genId: `g-${randomUUID()}`, userId: memberId, aiType: 'video', provider: 'fal', model: 'kling-2.1', prompt: 'a cat', status: 'completed' });
    const appRun = await awardFeats({ db }, SYSTEM_ACTOR, { userId: memberId });
    expect(appRun.awarded.map((b) => b.id)).toEqual(expect.arrayContaining(['first_brew', 'illusionist']));
    expect(appRun.progress).toMatchObject({ generations: 1, videos: 1 });
    const total = appRun.awarded.reduce((sum, b) => sum + b.xp, 0);
    expect(await xpOf(db, memberId)).toEqual({ total, level: levelFor(total) });
    expect(await db.select().from(auditLog).where(and(eq(auditLog.action, 'award_feats'), eq(auditLog.recordId, String(memberId))))).toEqual([]);

    expect((await awardFeats({ db }, actor, { userId: memberId })).awarded).toEqual([]);
    await expect(awardFeats({ db }, actor, { userId: 2_000_000_000 })).rejects.toThrow(NotFoundError);
  });
});
