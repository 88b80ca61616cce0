import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { decryptSecret } from '../../src/crypto/secretBox';
import { affiliates, aiProviderKeys, auditLog, credits, orders, sessions } from '../../src/db/schema';
import { reencryptProviderKeys, rotateProviderKey, sealProviderKey, setProviderKeyEnabled } from '../../src/ai/providerKeys';
import { changeUserRole } from '../../src/auth/roleChanges';
import { createSession } from '../../src/auth/sessions';
import { grantCredits } from '../../src/billing/grantCredits';
import { refundOrder } from '../../src/billing/refundOrder';
import { payCommissions, approveCommissions } from '../../src/growth/affiliateCommission';
import { SYSTEM_ACTOR } from '../../src/usecases';
import { ConflictError, NotFoundError } from '../../src/usecases/domainErrors';
import { useCaseCaller } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

// The money, role and key use cases called as a job or a CLI would: no Express, typed results and refusals.
describeEachEngine('billing, role and key use cases without HTTP', (server) => {
  const setup = () => useCaseCaller(server(), 'admin', 'job-7');
  const balance = async (db: ReturnType<typeof server>['ctx']['database']['db'], userId: number) =>
    (await db.select({ left: credits.leftCredits }).from(credits).where(eq(credits.userId, userId)))[0]?.left ?? 0;

  it('granting and deducting credits moves the balance, refuses an overdraft and replays a retried key', async () => {
    const { deps, actor, db, memberId } = await setup();
    const granted = await grantCredits(deps, actor, { userId: memberId, amount: 50, reason: 'welcome', idempotencyKey: 'k-1' });
    expect(granted).toMatchObject({ replayed: false, adjustment: { id: memberId, left_credits: 50, total_credits: 50, transaction: { amount: 50, type: 'admin_adjust', actor_id: actor.actorId } } });
    expect(granted.adjustment.transaction).not.toHaveProperty('idempotency_key');
    const again = await grantCredits(deps, actor, { userId: memberId, amount: 50, reason: 'welcome', idempotencyKey: 'k-1' });
    expect(again).toEqual({ replayed: true, adjustment: granted.adjustment });
    await expect(grantCredits(deps, actor, { userId: memberId, amount: 5, reason: 'other', idempotencyKey: 'k-1' })).rejects.toThrow(ConflictError);

    expect((await grantCredits(deps, SYSTEM_ACTOR, { userId: memberId, amount: -20, reason: 'generations' })).adjustment.left_credits).toBe(30);
    const overdraft = grantCredits(deps, actor, { userId: memberId, amount: -31, reason: 'too much' });
    await expect(overdraft).rejects.toThrow(ConflictError);
    await expect(overdraft).rejects.toMatchObject({ fields: { amount: 'At most -30' } });
    expect(await balance(db, memberId)).toBe(30);
    await expect(grantCredits(deps, actor, { userId: 2_000_000_000, amount: 1, reason: 'x' })).rejects.toThrow(NotFoundError);
    const audits = await db.select().from(auditLog).where(eq(auditLog.recordId, String(memberId)));
    expect(audits.filter((a) => a.action === 'adjust_credits').map((a) => a.actorEmail)).toEqual([actor.actorEmail, 'system']);
  });

  it('refunding a paid order reverses its credits and unpaid commission; a second refund is refused', async () => {
    const { deps, actor, db, memberId } = await setup();
    await grantCredits(deps, actor, { userId: memberId, amount: 100, reason: 'Order paid' });
    const [order] = await db
      .insert(orders)
      .values({ orderNo: `U-${randomUUID()}`, userId: memberId, productId: 'starter', productName: 'Starter', amount: 900, status: 'paid', credits: 100, paidAt: new Date() })
      .returning({ id: orders.id });
    const [commission] = await db.insert(affiliates).values({ userId: memberId, orderId: order!.id, orderAmount: 900, commissionAmount: 180, status: 'pending' }).returning({ id: affiliates.id });

    const refunded = await refundOrder(deps, actor, { orderId: order!.id, reason: 'asked' });
    expect(refunded).toMatchObject({ id: order!.id, status: 'refunded', credits_reversed: 100, warnings: [] });
    expect(await balance(db, memberId)).toBe(0);
    expect((await db.select({ status: affiliates.status }).from(affiliates).where(eq(affiliates.id, commission!.id)))[0]!.status).toBe('reversed');
    await expect(refundOrder(deps, actor, { orderId: order!.id })).rejects.toThrow('Only paid orders can be refunded (this one is refunded).');
  });

  it('paying commissions in bulk moves all approved ones or none, naming the ones in the wrong state', async () => {
    const { deps, actor, db, memberId } = await setup();
    // One commission per order: three paid orders, three pending commissions.
    const paidOrders = await db
      .insert(orders)
      .values([0, 1, 2].map(() => ({ orderNo: `U-${randomUUID()}`, userId: memberId, productId: 'starter', productName: 'Starter', amount: 900, status: 'paid' as const, paidAt: new Date() })))
      .returning({ id: orders.id });
    const made = await db
      .insert(affiliates)
      .values(paidOrders.map((o) => ({ userId: memberId, orderId: o.id, orderAmount: 900, commissionAmount: 180, status: 'pending' as const })))
      .returning({ id: affiliates.id });
    const ids = made.map((m) => m.id);
    await approveCommissions(deps, actor, { ids: ids.slice(0, 2) });
    const refused = payCommissions(deps, actor, { ids });
    await expect(refused).rejects.toThrow(ConflictError);
    await expect(refused).rejects.toMatchObject({ fields: { ids: String(ids[2]) } });
    const paid = await payCommissions(deps, actor, { ids: [ids[1]!, ids[0]!, ids[0]!] });
    expect(paid.map((p) => [p.id, p.status])).toEqual([
      [ids[0], 'paid'],
      [ids[1], 'paid'],
    ]);
    await expect(payCommissions(deps, actor, { ids: [2_000_000_000] })).rejects.toThrow(NotFoundError);
  });

  it('changing a role ends the user’s sessions, refuses no-ops and your own role, and audits it as an edit', async () => {
    const { deps, actor, db, memberId, op } = await setup();
    await createSession(db, memberId, {});
    expect(await changeUserRole(deps, actor, { userId: memberId, role: 'support' })).toMatchObject({ id: memberId, role: 'support' });
    expect(await db.select().from(sessions).where(eq(sessions.userId, memberId))).toEqual([]);
    await expect(changeUserRole(deps, actor, { userId: memberId, role: 'support' })).rejects.toThrow(ConflictError);
    await expect(changeUserRole(deps, actor, { userId: op.id, role: 'member' })).rejects.toThrow('You cannot change your own role; ask another admin.');
    const [row] = await db.select().from(auditLog).where(eq(auditLog.recordId, String(memberId))).orderBy(sql`${auditLog.id} desc`).limit(1);
    expect(row).toMatchObject({ action: 'update', resource: 'users', actorId: op.id, before: { role: 'member' }, after: { role: 'support' } });
  });

  it('rotating a provider key re-seals it, and enabling an enabled key is refused', async () => {
    const { deps, actor, db } = await setup();
    const ring = server().ctx.keyRing;
    const [key] = await db.insert(aiProviderKeys).values({ provider: `p-${randomUUID()}`, label: 'main', ...sealProviderKey(ring, 'sk-old-1234') }).returning({ id: aiProviderKeys.id });
    const rotated = await rotateProviderKey(deps, actor, { keyId: key!.id, key: 'sk-new-secret-9876' });
    expect(rotated).toMatchObject({ id: key!.id, last_four: '9876' });
    expect(rotated).not.toHaveProperty('encrypted_key');
    const [stored] = await db.select({ envelope: aiProviderKeys.encryptedKey }).from(aiProviderKeys).where(eq(aiProviderKeys.id, key!.id));
    expect(decryptSecret(ring, stored!.envelope)).toBe('sk-new-secret-9876');
    await expect(setProviderKeyEnabled(deps, actor, { keyId: key!.id, enabled: true })).rejects.toThrow(/already enabled/);
    expect(await setProviderKeyEnabled(deps, actor, { keyId: key!.id, enabled: false })).toMatchObject({ enabled: false });
    expect(await reencryptProviderKeys(deps, actor)).toEqual({ reencrypted: 0 });
    await expect(rotateProviderKey(deps, actor, { keyId: 2_000_000_000, key: 'sk-whatever' })).rejects.toThrow(NotFoundError);
  });
});
