import { expect, it } from 'vitest';
import { mysqlSchemaDump } from '../support/mysql';
import { describeAdoptedMysql } from '../support/mysqlAdopted';

describeAdoptedMysql('badges on an adopted MySQL/MariaDB database (OpenCauldron)', { fixture: '000_opencauldron.sql' }, (adopted) => {
  it('awards a badge with its XP: user_badges, user_xp and xp_transactions together, once', async () => {
    const { db, mapping, session, dumpBefore } = adopted();
    expect(mapping.capabilities.badges).toMatchObject({ enabled: true, badges: { xp: 'xp_reward' }, awards: { resource: 'user_badges' } });
    const award = (user: string, badge: unknown) => session.json(`/api/users/${user}/badges`, { method: 'POST', body: JSON.stringify({ badge_id: badge }) });
    const res = await award('u0007', 'centaur');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ xp_awarded: 50, total_xp: 60 });
    const state = async () =>
      (
        await db.query<{ total: number; ledger: number; held: number }>(
          `select (select total_xp from user_xp where user_id = 'u0007') as total, (select sum(amount) from xp_transactions where user_id = 'u0007') as ledger, (select count(*) from user_badges where user_id = 'u0007') as held`,
        )
      ).map((r) => ({ total: Number(r.total), ledger: Number(r.ledger), held: Number(r.held) }))[0];
    expect(await state()).toEqual({ total: 60, ledger: 60, held: 2 });
    expect((await award('u0007', 'centaur')).status).toBe(409);
    for (const hostile of ['nope', `centaur' or '1'='1`, 'x'.repeat(300)]) {
      const bad = await award('u0007', hostile);
      expect(bad.status, hostile.slice(0, 20)).toBeGreaterThanOrEqual(400);
      expect(bad.status, hostile.slice(0, 20)).toBeLessThan(500);
    }
    expect(await state()).toEqual({ total: 60, ledger: 60, held: 2 });
    // A first badge for a user with no XP row yet.
    expect((await award('u0002', 'first-brew')).status).toBe(201);
    expect(Number((await db.query<{ t: number }>(`select total_xp as t from user_xp where user_id = 'u0002'`))[0]?.t)).toBe(10);
    expect(await mysqlSchemaDump(db)).toBe(dumpBefore);
  });
});
