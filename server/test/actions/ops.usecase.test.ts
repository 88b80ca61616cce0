import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { failGenerations } from '../../src/ai/failGenerations';
import { auditLog, badges, credits, creditTransactions, generations, users } from '../../src/db/schema';
import { auditActions } from '../../src/ops/auditActions';
import { revertChange } from '../../src/ops/revisions/revertChange';
import { parseFilter } from '../../src/resources/listQuery';
import { createRecord, deleteMany, deleteRecord, editRecord, STALE_MESSAGE, updateMany } from '../../src/resources/writes';
import { refreshStats } from '../../src/stats/refreshStats';
import type { UseCaseActor } from '../../src/usecases';
import { actionContext } from '../../src/usecases/context';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../src/usecases/domainErrors';
import { modelOf } from '../../src/usecases/records';
import { createOperator } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

// The generic record writes, reverting an edit, failing stuck generations and refreshing stats,
// called as a job or a CLI would: no Express, typed results and refusals.
describeEachEngine('record, revision and console use cases without HTTP', (server) => {
  const setup = async (role: 'admin' | 'support' = 'admin') => {
    const s = server();
    const op = await createOperator(s, role);
    const actor: UseCaseActor & { role: string } = { actorId: op.id, actorEmail: op.email, ip: null, requestId: `job-${role}`, role };
    return { deps: actionContext(s.ctx), actor, db: s.ctx.database.db };
  };
  const newBadge = (deps: ReturnType<typeof actionContext>, actor: UseCaseActor, name = 'Night owl') =>
    createRecord(deps, actor, { model: modelOf(deps, 'badges'), values: { id: `b_${randomUUID().slice(0, 8)}`, name, description: 'd', icon: 'moon', category: 'special' } });

  it('create, edit and delete one record, each audited; a stale edit and a missing record are refused', async () => {
    const { deps, actor, db } = await setup();
    const model = modelOf(deps, 'badges');
    const created = await newBadge(deps, actor);
    const id = created.id as string;
    // Hostile but storable text inside an otherwise valid edit.
    const name = `__proto__ 🦉 ${'ß'.repeat(70_000)}`;
    const edited = await editRecord(deps, actor, { model, id, values: { name }, seen: created.updated_at as Date });
    expect(edited).toMatchObject({ id, name });
    expect((edited.updated_at as Date).getTime()).toBeGreaterThan((created.updated_at as Date).getTime());
    const stale = editRecord(deps, actor, { model, id, values: { name: 'late' }, seen: created.updated_at as Date });
    await expect(stale).rejects.toThrow(ConflictError);
    await expect(stale).rejects.toThrow(STALE_MESSAGE);
    expect((await db.select({ name: badges.name }).from(badges).where(eq(badges.id, id)))[0]?.name).toBe(name);

    expect(await deleteRecord(deps, actor, { model, id })).toMatchObject({ id, name });
    await expect(deleteRecord(deps, actor, { model, id })).rejects.toThrow(NotFoundError);
    const trail = await db.select({ action: auditLog.action, actorId: auditLog.actorId }).from(auditLog).where(and(eq(auditLog.resource, 'badges'), eq(auditLog.recordId, id))).orderBy(auditLog.id);
    expect(trail).toEqual(['create', 'update', 'delete'].map((action) => ({ action, actorId: actor.actorId })));
  });

  it('bulk edits and deletes act on what the filter selects, and an empty edit is refused', async () => {
    const { deps, actor, db } = await setup();
    const model = modelOf(deps, 'badges');
    const ids = [(await newBadge(deps, actor)).id, (await newBadge(deps, actor)).id] as string[];
    const where = parseFilter(model, JSON.stringify({ id: ids }))!;
    expect((await updateMany(deps, actor, { model, where, values: { xpReward: 7 } })).sort()).toEqual([...ids].sort());
    expect((await db.select({ xp: badges.xpReward }).from(badges).where(inArray(badges.id, ids))).map((b) => b.xp)).toEqual([7, 7]);
    await expect(updateMany(deps, actor, { model, where, values: {} })).rejects.toThrow(InvalidInputError);
    expect((await deleteMany(deps, actor, { model, where })).sort()).toEqual([...ids].sort());
    expect(await deleteMany(deps, actor, { model, where })).toEqual([]);
  });

  it('reverting an edit writes the old values back as a new audited change; a newer edit or a weaker role is refused', async () => {
    const { deps, actor, db } = await setup();
    const model = modelOf(deps, 'badges');
    const created = await newBadge(deps, actor, 'Before');
    const id = created.id as string;
    await editRecord(deps, actor, { model, id, values: { name: 'After' } });
    const [edit] = await db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.resource, 'badges'), eq(auditLog.recordId, id), eq(auditLog.action, 'update')));

    const support = await setup('support');
    await expect(revertChange(deps, support.actor, { auditId: edit!.id })).rejects.toThrow(ForbiddenError);
    expect(await revertChange(deps, actor, { auditId: edit!.id })).toMatchObject({ id, name: 'Before' });
    const [revert] = await db.select().from(auditLog).where(and(eq(auditLog.recordId, id), eq(auditLog.action, 'revert')));
    expect(revert).toMatchObject({ revertsId: edit!.id, actorId: actor.actorId, before: { name: 'After' }, after: { name: 'Before' } });
    // The record moved on since that edit: reverting it again would overwrite the revert.
    await expect(revertChange(deps, actor, { auditId: edit!.id })).rejects.toThrow(ConflictError);
    const [create] = await db.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.recordId, id), eq(auditLog.action, 'create')));
    await expect(revertChange(deps, actor, { auditId: create!.id })).rejects.toThrow(/not reverted by rewriting history/);
    await expect(revertChange(deps, actor, { auditId: Number.MAX_SAFE_INTEGER })).rejects.toThrow(NotFoundError);
    expect(await auditActions(deps, actor)).toEqual(expect.arrayContaining(['create', 'revert', 'update']));
  });

  it('failing stuck generations refunds their credits all or nothing, naming the ones already settled', async () => {
    const { deps, actor, db } = await setup();
    const [member] = await db.insert(users).values({ email: `m-${randomUUID()}@x.test`, name: 'member' }).returning({ id: users.id });
    const generation = async (status: 'processing' | 'pending' | 'completed', cost: number) =>
      (await db.insert(generations).values({ genId: `g-${randomUUID()}`, userId: member!.id, aiType: 'image', provider: 'openai', model: 'gpt-image-1', prompt: 'p', status, creditsCost: cost }).returning({ id: generations.id }))[0]!.id;
    const stuck = [await generation('processing', 12), await generation('pending', 0)];
    const done = await generation('completed', 5);
    const reason = 'Provider lost the job; 🧯 "retry" later';

    await expect(failGenerations(deps, actor, { ids: [...stuck, done], reason })).rejects.toThrow(new RegExp(`Already settled: ${done} \\(completed\\)`));
    await expect(failGenerations(deps, actor, { ids: [stuck[0]!, 999_999_999], reason })).rejects.toThrow(NotFoundError);
    const failed = await failGenerations(deps, actor, { ids: [...stuck, stuck[0]!], reason });
    expect(failed.map((g) => [g.id, g.status, g.error, g.credits_refunded])).toEqual([
      [stuck[0], 'failed', reason, 12],
      [stuck[1], 'failed', reason, 0],
    ]);
    expect((await db.select({ left: credits.leftCredits }).from(credits).where(eq(credits.userId, member!.id)))[0]?.left).toBe(12);
    const refunds = await db.select({ type: creditTransactions.type, amount: creditTransactions.amount }).from(creditTransactions).where(eq(creditTransactions.userId, member!.id));
    expect(refunds).toEqual([{ type: 'refund', amount: 12 }]);
    await expect(failGenerations(deps, actor, { ids: [stuck[0]!], reason })).rejects.toThrow(ConflictError);
  });

  it('refreshing stored stats recomputes the closed days asked for and audits it', async () => {
    const { deps, actor, db } = await setup();
    const result = await refreshStats(deps, actor, { from: '2026-01-01', to: '2026-01-03' });
    expect(result).toMatchObject({ from: '2026-01-01', to: '2026-01-03', days: 3 });
    const [row] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'refresh'), eq(auditLog.recordId, '2026-01-01..2026-01-03')));
    expect(row).toMatchObject({ resource: 'stats_daily', actorId: actor.actorId });
  });
});
