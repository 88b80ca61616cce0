import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { apiKeys, auditLog, operatorSessions } from '../../src/db/schema';
import { revokeApiKey } from '../../src/ai/apiKeys';
import { banUser, unbanUser } from '../../src/auth/banUser';
import { ConflictError, NotFoundError } from '../../src/usecases/domainErrors';
import { createSession } from '../../src/auth/sessions';
import { createOperator, useCaseCaller } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

// The use cases called as a CLI or a job would: no Express, no HTTP, typed refusals.
describeEachEngine('user and key use cases without HTTP', (server) => {
  const setup = () => useCaseCaller(server(), 'support', 'job-1');

  it('banning signs the member out and audits it under the calling actor; unbanning lifts it', async () => {
    const { deps, actor, db, memberId } = await setup();
    await createSession(db, memberId, {});
    const banned = await banUser(deps, actor, { userId: memberId, reason: 'spam', expires_at: null });
    expect(banned).toMatchObject({ id: memberId, banned: true, ban_reason: 'spam' });
    expect(banned).not.toHaveProperty('password_hash');
    expect(await db.select().from(operatorSessions).where(eq(operatorSessions.userId, memberId))).toEqual([]);
    const [row] = await db.select().from(auditLog).where(eq(auditLog.recordId, String(memberId)));
    expect(row).toMatchObject({ action: 'ban', resource: 'users', actorId: actor.actorId, requestId: 'job-1' });

    await expect(banUser(deps, actor, { userId: memberId, reason: 'again' })).rejects.toThrow(ConflictError);
    expect(await unbanUser(deps, actor, { userId: memberId })).toMatchObject({ banned: false, ban_reason: null });
    await expect(unbanUser(deps, actor, { userId: memberId })).rejects.toThrow(`User ${memberId} is not banned.`);
  });

  it('refuses self-bans, operators and unknown users with typed errors', async () => {
    const { deps, actor, op } = await setup();
    await expect(banUser(deps, actor, { userId: op.id, reason: 'x' })).rejects.toThrow(ConflictError);
    const admin = await createOperator(server(), 'admin');
    await expect(banUser(deps, actor, { userId: admin.id, reason: 'x' })).rejects.toThrow(/is an operator \(admin\)/);
    await expect(banUser(deps, actor, { userId: 2_000_000_000, reason: 'x' })).rejects.toThrow(NotFoundError);
  });

  it('revoking an API key moves it from active to revoked once', async () => {
    const { deps, actor, db, memberId } = await setup();
    const [key] = await db.insert(apiKeys).values({ userId: memberId, name: 'k', keyHash: `h-${memberId}`, prefix: 'ok_live_abcd' }).returning({ id: apiKeys.id });
    expect(await revokeApiKey(deps, actor, { keyId: key!.id })).toMatchObject({ id: key!.id, status: 'revoked' });
    await expect(revokeApiKey(deps, actor, { keyId: key!.id })).rejects.toThrow('Only active API keys can be revoked (this one is revoked).');
  });
});
