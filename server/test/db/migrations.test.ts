import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client';
import { expect, it } from 'vitest';
import { describeEachEngine } from '../support/testServer';
import { BADGES, seedBadges } from '../../src/db/seed/badges';
import { badges, userBadges, users } from '../../src/db/schema';

describeEachEngine('the schema', (server) => {
  it('migrations apply from zero and create every table with the trigram extension', async () => {
    const { db } = server().ctx.database;
    const tables = await queryRows<{ table_name: string }>(
      db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = tables.map((r) => r.table_name);
    for (const t of ['users', 'orders', 'credits', 'credit_transactions', 'generations', 'ai_provider_keys', 'api_keys', 'affiliates', 'badges', 'user_badges', 'user_xp', 'xp_transactions', 'posts', 'feedbacks', 'organizations', 'members', 'teams', 'team_members', 'invitations', 'waitlist', 'audit_log']) {
      expect(names).toContain(t);
    }
    const ext = await queryRows(db, sql`select extname from pg_extension where extname = 'pg_trgm'`);
    expect(ext).toHaveLength(1);
  });

  it('badge seed is idempotent, removes only retired catalogue ids and keeps operator badges', async () => {
    const { db } = server().ctx.database;
    const [u] = await db.insert(users).values({ email: 'legacy@example.com' }).returning();
    await db.insert(badges).values({ id: 'legacy_badge', name: 'Legacy', description: 'old', icon: 'x', category: 'special' });
    await db.insert(badges).values({ id: 'operator-made', name: 'Operator made', description: 'mine', icon: 'x', category: 'special' });
    await db.insert(userBadges).values({ userId: u!.id, badgeId: 'legacy_badge' });
    await db.insert(userBadges).values({ userId: u!.id, badgeId: 'operator-made' });

    const first = await seedBadges(db, BADGES, ['legacy_badge']);
    const second = await seedBadges(db, BADGES, ['legacy_badge']);
    expect(first.removed).toEqual(['legacy_badge']);
    expect(second.removed).toEqual([]);
    expect((await seedBadges(db)).removed).toEqual([]);
    const rows = await db.select().from(badges).orderBy(badges.sortOrder);
    expect(rows.map((b) => b.id).sort()).toEqual([...BADGES.map((b) => b.id), 'operator-made'].sort());
    expect((await db.select().from(userBadges).where(eq(userBadges.userId, u!.id))).map((r) => r.badgeId)).toEqual(['operator-made']);
    await expect(seedBadges(db, BADGES, [BADGES[0]!.id!])).rejects.toThrow(/both defined and retired/);
  });

  it('badge sync writes nothing when the catalogue is in place, and puts back an edited catalogue badge', async () => {
    const { db } = server().ctx.database;
    await seedBadges(db);
    const stamps = async () => new Map((await db.select({ id: badges.id, updatedAt: badges.updatedAt }).from(badges)).map((b) => [b.id, b.updatedAt.getTime()]));
    const before = await stamps();
    // Every boot runs the sync: with nothing to change it neither upserts nor touches updated_at.
    expect(await seedBadges(db)).toEqual({ upserted: 0, removed: [] });
    expect(await stamps()).toEqual(before);

    await db.update(badges).set({ name: 'Renamed by hand', xpReward: 999 }).where(eq(badges.id, BADGES[0]!.id!));
    expect((await seedBadges(db)).upserted).toBe(1);
    const [restored] = await db.select().from(badges).where(eq(badges.id, BADGES[0]!.id!));
    expect(restored).toMatchObject({ name: BADGES[0]!.name, xpReward: BADGES[0]!.xpReward });
    expect(await seedBadges(db)).toEqual({ upserted: 0, removed: [] });
  });

  it('the database refuses a negative balance and a rating out of range', async () => {
    const { db } = server().ctx.database;
    const [u] = await db.insert(users).values({ email: 'check@example.com' }).returning();
    await expect(db.execute(sql`insert into credits (user_id, left_credits) values (${u!.id}, -1)`)).rejects.toThrow();
    await expect(db.execute(sql`insert into feedbacks (user_id, rating) values (${u!.id}, 6)`)).rejects.toThrow();
  });
});
