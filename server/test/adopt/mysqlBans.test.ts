import { expect, it } from 'vitest';
import { mysqlSchemaDump } from '../support/mysql';
import { describeAdoptedMysql } from '../support/mysqlAdopted';

describeAdoptedMysql("bans on an adopted MySQL/MariaDB database (ZeroStarter's Better Auth tables)", { fixture: '004_zerostarter.sql' }, (adopted) => {
  it('bans with reason and expiry through banned/banReason/banExpires, signs the user out, and unbans', async () => {
    const { db, mapping, session, dumpBefore } = adopted();
    expect(mapping.capabilities.ban).toMatchObject({ enabled: true, resource: 'user', banned: 'banned', reasonColumn: 'banReason', expires: 'banExpires', sessions: { resource: 'session', user: 'userId' } });
    const reason = `Chargeback "fraud" '); drop table user; -- 🚫`;
    const res = await session.json('/api/user/usr_1/ban', { method: 'POST', body: JSON.stringify({ reason, expires_at: '2031-01-01T00:00:00Z' }) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: 'usr_1', banned: true, banReason: reason });
    const row = async (id: string) =>
      (await db.query<{ banned: number; banReason: string | null; banExpires: Date | null; sessions: number }>('select banned, banReason, banExpires, (select count(*) from `session` where userId = u.id) as sessions from `user` u where id = ?', [id]))[0]!;
    const banned = await row('usr_1');
    expect({ banned: Number(banned.banned), banReason: banned.banReason, sessions: Number(banned.sessions) }).toEqual({ banned: 1, banReason: reason, sessions: 0 });
    expect(new Date(banned.banExpires!).getUTCFullYear()).toBe(2031);
    expect(Number((await row('usr_2')).sessions)).toBe(1);
    expect((await session.json('/api/user/usr_1/ban', { method: 'POST', body: JSON.stringify({ reason: 'again' }) })).status).toBe(409);
    for (const body of [{}, { reason: 'x', expires_at: 'not a date' }, { reason: 'a\u0000b' }]) {
      const bad = await session.json('/api/user/usr_2/ban', { method: 'POST', body: JSON.stringify(body) });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    expect(Number((await row('usr_2')).banned)).toBe(0);
    const unbanned = await session.json('/api/user/usr_1/unban', { method: 'POST' });
    expect(unbanned.body).toMatchObject({ banned: false, banReason: null, banExpires: null });
    const after = await row('usr_1');
    expect({ banned: Number(after.banned), banReason: after.banReason, banExpires: after.banExpires }).toEqual({ banned: 0, banReason: null, banExpires: null });
    expect(await mysqlSchemaDump(db)).toBe(dumpBefore);
  });
});
