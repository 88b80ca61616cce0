import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { BoundCapability, CapabilityDeps } from '../../src/adopt/capabilities';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/usecases/domainErrors';
import { engines, type Engine } from '../support/engines';
import { MYSQL_SKIP_REASON, TEST_MYSQL_URL } from '../support/mysql';
import { setUpOnce } from '../support/setUpOnce';
import { adoptedDatabase, type AdoptedDatabase } from './adoptedDatabase';

type Row = Record<string, unknown>;

// Adopt mode's capabilities called as a job or a CLI would: no Express, no server, typed results
// and domain errors, on every engine adopt mode serves (MariaDB when TEST_MYSQL_URL is set).
const targets: { name: string; engine: Engine | 'mysql' }[] = [...engines.map((e) => ({ name: e.name, engine: e })), { name: 'mysql', engine: 'mysql' }];

function describeAdopted(title: string, fixture: string, body: (adopted: () => AdoptedDatabase) => void) {
  for (const target of targets) {
    const noMysql = target.engine === 'mysql' && !TEST_MYSQL_URL;
    describe.skipIf(noMysql)(`${title} [${target.name}]${target.engine === 'mysql' ? MYSQL_SKIP_REASON : ''}`, () => {
      body(setUpOnce('the adopted database', () => adoptedDatabase(target.engine, fixture), 300_000));
    });
  }
}

const depsOf = (a: AdoptedDatabase): CapabilityDeps => ({ db: a.database.db });

function capability<K extends BoundCapability['kind']>(a: AdoptedDatabase, key: string, kind: K): Extract<BoundCapability, { kind: K }> {
  const found = a.capabilities.get(key);
  if (found?.kind !== kind) throw new Error(`capability ${key} is not an enabled ${kind} capability`);
  return found as Extract<BoundCapability, { kind: K }>;
}

/** Rows of an adopted table as the resource selects them, read through the same Drizzle client. */
async function rowsOf(a: AdoptedDatabase, resource: string, column?: string, value?: unknown): Promise<Row[]> {
  const r = a.adoption.resources.get(resource);
  if (!r) throw new Error(`no resource ${resource}`);
  const q = a.database.db.select(r.selection).from(r.table);
  return (await (column ? q.where(eq(r.column(column), value)) : q)) as Row[];
}

async function auditOf(a: AdoptedDatabase, resource: string, recordId: string) {
  const { auditLog } = a.adoption.dialect.opsroom;
  return a.database.db.select().from(auditLog).where(and(eq(auditLog.resource, resource), eq(auditLog.recordId, recordId))).orderBy(auditLog.id);
}

describeAdopted('credits and refunds as use cases (Chameleon)', '001_chameleon.sql', (adopted) => {
  const ledgerOf = async (a: AdoptedDatabase, userId: number) => {
    const [user] = await rowsOf(a, 'users', 'id', userId);
    const [balance] = await rowsOf(a, 'credits', 'user_uuid', user!.uuid);
    const ledger = await rowsOf(a, 'credits_trans', 'user_uuid', user!.uuid);
    return { left: Number(balance?.left_credits ?? 0), sum: ledger.reduce((s, r) => s + Number(r.credits), 0), entries: ledger.length };
  };

  it('a grant moves the balance and the ledger together, audited as the actor', async () => {
    const a = adopted();
    const { adjust } = capability(a, 'credits', 'credits');
    const before = await ledgerOf(a, 7);
    const result = await adjust(depsOf(a), a.actor, { id: '7', amount: 250, reason: 'Support goodwill' });
    expect(result.replayed).toBe(false);
    expect(result.adjustment).toMatchObject({ id: 7, left_credits: before.left + 250, transaction: { credits: 250, trans_type: 'system_add' } });
    const after = await ledgerOf(a, 7);
    expect(after).toEqual({ left: before.left + 250, sum: before.sum + 250, entries: before.entries + 1 });
    expect(after.left).toBe(after.sum);
    const audit = await auditOf(a, 'users', '7');
    expect(audit.map((r) => [r.action, r.actorId, r.actorEmail, r.requestId])).toEqual([['adjust_credits', a.actor.actorId, a.actor.actorEmail, 'job-1']]);
  });

  it('going below zero is refused with a ConflictError naming the amount, and nothing is written', async () => {
    const a = adopted();
    const { adjust } = capability(a, 'credits', 'credits');
    const before = await ledgerOf(a, 9);
    const refused = adjust(depsOf(a), a.actor, { id: '9', amount: -(before.left + 1), reason: 'too much' });
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toMatchObject({ fields: { amount: `At most -${before.left}` } });
    expect(await ledgerOf(a, 9)).toEqual(before);
    expect(await auditOf(a, 'users', '9')).toEqual([]);
    // Taking the whole balance is allowed: the refusal is about going below zero, not about deducting.
    expect((await adjust(depsOf(a), a.actor, { id: '9', amount: -before.left, reason: 'all of it' })).adjustment.left_credits).toBe(0);
  });

  it('an idempotency key replays the first grant, and refuses the same key for a different grant', async () => {
    const a = adopted();
    const { adjust } = capability(a, 'credits', 'credits');
    const before = await ledgerOf(a, 8);
    const input = { id: '8', amount: 5, reason: 'retry', idempotencyKey: 'grant-8-a' };
    const first = await adjust(depsOf(a), a.actor, input);
    const again = await adjust(depsOf(a), a.actor, input);
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ replayed: true, adjustment: JSON.parse(JSON.stringify(first.adjustment)) });
    await expect(adjust(depsOf(a), a.actor, { ...input, amount: 6 })).rejects.toThrow(ConflictError);
    expect(await ledgerOf(a, 8)).toEqual({ left: before.left + 5, sum: before.sum + 5, entries: before.entries + 1 });
    // The key is the caller's: the same key on another user is a new grant.
    expect((await adjust(depsOf(a), a.actor, { ...input, id: '10' })).replayed).toBe(false);
  });

  it('an unknown user is a NotFoundError and an id that cannot be one is an InvalidInputError', async () => {
    const a = adopted();
    const { adjust } = capability(a, 'credits', 'credits');
    await expect(adjust(depsOf(a), a.actor, { id: '999999', amount: 1, reason: 'x' })).rejects.toThrow(NotFoundError);
    await expect(adjust(depsOf(a), a.actor, { id: 'seven', amount: 1, reason: 'x' })).rejects.toThrow(InvalidInputError);
  });

  it('a refund moves a paid order to refunded once; from any other state it is refused and nothing changes', async () => {
    const a = adopted();
    const { move } = capability(a, 'refund', 'transition');
    const [paid] = await rowsOf(a, 'orders', 'status', 'paid');
    const [pending] = await rowsOf(a, 'orders', 'status', 'pending');
    const refunded = await move(depsOf(a), a.actor, { id: String(paid!.id) });
    expect(refunded).toMatchObject({ id: paid!.id, status: 'refunded' });
    const again = move(depsOf(a), a.actor, { id: String(paid!.id) });
    await expect(again).rejects.toThrow(ConflictError);
    await expect(again).rejects.toThrow('Only orders records with status paid can be moved to refunded (this one is refunded).');
    await expect(move(depsOf(a), a.actor, { id: String(pending!.id) })).rejects.toThrow(/this one is pending/);
    expect((await rowsOf(a, 'orders', 'id', pending!.id))[0]!.status).toBe('pending');
    expect((await auditOf(a, 'orders', String(paid!.id))).map((r) => r.action)).toEqual(['refund']);
  });
});

describeAdopted("bans as use cases (ZeroStarter's Better Auth tables)", '004_zerostarter.sql', (adopted) => {
  it('a ban sets the ban columns and ends the user’s sessions; banning twice and unbanning twice are refused', async () => {
    const a = adopted();
    const { ban, unban } = capability(a, 'ban', 'ban');
    const [session] = await rowsOf(a, 'session');
    const userId = String(session!.userId);
    const banned = await ban(depsOf(a), a.actor, { id: userId, reason: 'Chargeback fraud', expires_at: new Date('2031-01-01T00:00:00Z') });
    expect(banned).toMatchObject({ id: userId, banned: true, banReason: 'Chargeback fraud' });
    expect(new Date(banned.banExpires as string).getUTCFullYear()).toBe(2031);
    expect(await rowsOf(a, 'session', 'userId', userId)).toEqual([]);
    await expect(ban(depsOf(a), a.actor, { id: userId, reason: 'again' })).rejects.toThrow(ConflictError);
    expect((await rowsOf(a, 'user', 'id', userId))[0]).toMatchObject({ banned: true, banReason: 'Chargeback fraud' });

    expect(await unban(depsOf(a), a.actor, { id: userId })).toMatchObject({ id: userId, banned: false, banReason: null, banExpires: null });
    await expect(unban(depsOf(a), a.actor, { id: userId })).rejects.toThrow(ConflictError);
    await expect(ban(depsOf(a), a.actor, { id: 'usr_nobody', reason: 'x' })).rejects.toThrow(NotFoundError);
    expect((await auditOf(a, 'user', userId)).map((r) => r.action)).toEqual(['ban', 'unban']);
  });
});

describeAdopted('badge awards as use cases (OpenCauldron)', '000_opencauldron.sql', (adopted) => {
  const xpOf = async (a: AdoptedDatabase, userId: string) => ({
    total: Number((await rowsOf(a, 'user_xp', 'user_id', userId))[0]?.total_xp ?? 0),
    ledger: (await rowsOf(a, 'xp_transactions', 'user_id', userId)).reduce((s, r) => s + Number(r.amount), 0),
    held: (await rowsOf(a, 'user_badges', 'user_id', userId)).map((r) => r.badge_id).sort(),
  });

  it('an award records the badge and adds its XP to the total and the XP ledger; the same badge twice is refused', async () => {
    const a = adopted();
    const { award } = capability(a, 'badges', 'badges');
    const before = await xpOf(a, 'u0007');
    const badge = (await rowsOf(a, 'badges')).find((b) => !before.held.includes(b.id));
    const reward = Number(badge!.xp_reward);
    expect(reward).toBeGreaterThan(0);
    const result = await award(depsOf(a), a.actor, { id: 'u0007', badgeId: badge!.id as string });
    expect(result).toMatchObject({ id: 'u0007', xp_awarded: reward, total_xp: before.total + reward, badge: { user_id: 'u0007', badge_id: badge!.id } });
    const after = await xpOf(a, 'u0007');
    expect(after).toEqual({ total: before.total + reward, ledger: before.ledger + reward, held: [...before.held, badge!.id].sort() });
    await expect(award(depsOf(a), a.actor, { id: 'u0007', badgeId: badge!.id as string })).rejects.toThrow(ConflictError);
    expect(await xpOf(a, 'u0007')).toEqual(after);
  });

  it('an unknown badge is an InvalidInputError naming badge_id, and nothing is written', async () => {
    const a = adopted();
    const { award } = capability(a, 'badges', 'badges');
    const before = await xpOf(a, 'u0007');
    const refused = award(depsOf(a), a.actor, { id: 'u0007', badgeId: 'no-such-badge' });
    await expect(refused).rejects.toThrow(InvalidInputError);
    await expect(refused).rejects.toMatchObject({ fields: { badge_id: 'No badge no-such-badge' } });
    expect(await xpOf(a, 'u0007')).toEqual(before);
  });
});
