import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { grantInput } from '../../billing/grantCredits';
import type { UseCaseActor } from '../../usecases';
import { ConflictError } from '../../usecases/domainErrors';
import type { creditsCapability } from '../mapping';
import type { Adoption } from '../resources';
import { auditAdopted } from '../records';
import { binder, lockTarget, type CapabilityDeps, type Row, type TargetInput } from './support';

export type AdjustCreditsInput = TargetInput &
  z.output<typeof grantInput> & {
    /** The caller's retry key (an HTTP Idempotency-Key); scoped here to the actor, resource and record. */
    idempotencyKey?: string;
  };

export interface CreditsAdjustment {
  id: unknown;
  left_credits: number;
  /** Only when the balance table keeps a running total. */
  total_credits?: number;
  /** The ledger row, as GET /api/<ledger> shows it. */
  transaction: Row;
}

export interface AdjustCreditsResult {
  /** True when the key had already been used for this adjustment: nothing moved, the earlier answer is returned. */
  replayed: boolean;
  adjustment: CreditsAdjustment;
}

export type AdjustCredits = (deps: CapabilityDeps, actor: UseCaseActor, input: AdjustCreditsInput) => Promise<AdjustCreditsResult>;

/**
 * Grants (amount > 0) or deducts (amount < 0) credits through the app's balance and ledger tables:
 * the balance row and one ledger row change in one transaction, with the balance row locked, so the
 * balance always equals the ledger's sum. Refuses to go below zero. Safe to retry with the same
 * idempotency key (kept in opsroom.idempotency_keys). Binds the mapping's columns now, so a wrong
 * name stops start-up.
 */
export function creditsUseCase(adoption: Adoption, key: string, spec: z.infer<typeof creditsCapability>): AdjustCredits {
  const bind = binder(adoption, key);
  const users = bind.resource('resource', spec.resource);
  bind.column('userKey', users, spec.userKey);
  const balance = bind.resource('balance.resource', spec.balance.resource);
  const ledger = bind.resource('ledger.resource', spec.ledger.resource);
  const b = {
    user: bind.column('balance.user', balance, spec.balance.user),
    left: bind.column('balance.left', balance, spec.balance.left),
    total: spec.balance.total ? bind.column('balance.total', balance, spec.balance.total) : undefined,
    updatedAt: spec.balance.updatedAt ? bind.column('balance.updatedAt', balance, spec.balance.updatedAt) : undefined,
  };
  for (const [field, name] of Object.entries(spec.ledger)) if (field !== 'resource' && field !== 'typeValue' && name) bind.column(`ledger.${field}`, ledger, name);

  const { idempotencyKeys } = adoption.dialect.opsroom;
  return async (deps, actor, input) => {
    // What a replay is compared with: the adjustment itself, not who or which record (those are in the key).
    const request = { amount: input.amount, reason: input.reason };
    const idemKey = input.idempotencyKey === undefined ? undefined : `credits:operator:${actor.actorId}:${users.name}:${input.id}:${input.idempotencyKey}`;
    const run = () =>
      deps.db.transaction(async (tx): Promise<AdjustCreditsResult> => {
        if (idemKey) {
          const [earlier] = await tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, idemKey)).limit(1);
          if (earlier) {
            if (JSON.stringify(earlier.request) !== JSON.stringify(request)) throw new ConflictError('This Idempotency-Key was already used for a different adjustment; use a new key for a new adjustment.');
            return { replayed: true, adjustment: earlier.response as CreditsAdjustment };
          }
        }
        const { row: user } = await lockTarget(tx, users, input.id);
        const owner = user[spec.userKey];
        const [current] = await tx.select({ id: balance.keyFields[0]?.column ?? b.left, left: b.left, total: b.total ?? b.left }).from(balance.table).where(eq(b.user, owner)).limit(1).for('update');
        const left = Number(current?.left ?? 0);
        const total = Number(current?.total ?? 0);
        if (left + input.amount < 0) throw new ConflictError(`Removing ${-input.amount} credits would leave a negative balance: this user has ${left}.`, { amount: `At most -${left}` });
        const next: Row = { [spec.balance.left]: left + input.amount };
        if (spec.balance.total) next[spec.balance.total] = total + Math.max(input.amount, 0);
        if (spec.balance.updatedAt) next[spec.balance.updatedAt] = new Date();
        if (current) await tx.update(balance.table).set(next).where(eq(b.user, owner));
        else await tx.insert(balance.table).values({ ...next, [spec.balance.user]: owner });
        const entry: Row = { [spec.ledger.user]: owner, [spec.ledger.amount]: input.amount };
        if (spec.ledger.type && spec.ledger.typeValue) entry[spec.ledger.type] = spec.ledger.typeValue;
        if (spec.ledger.reason) entry[spec.ledger.reason] = input.reason;
        if (spec.ledger.createdAt) entry[spec.ledger.createdAt] = new Date();
        const transaction = await adoption.dialect.insertRow(tx, ledger, entry);
        const after = { id: users.present(user).id, left_credits: left + input.amount, total_credits: spec.balance.total ? total + Math.max(input.amount, 0) : undefined };
        const adjustment: CreditsAdjustment = { ...after, transaction: ledger.present(transaction) };
        await auditAdopted(adoption, tx, actor, { action: 'adjust_credits', resource: users.name, recordId: String(after.id), before: { left_credits: left, total_credits: total }, after: { ...after, reason: input.reason } });
        if (idemKey) await tx.insert(idempotencyKeys).values({ key: idemKey, operatorId: actor.actorId, request, response: adjustment });
        return { replayed: false, adjustment };
      });
    try {
      return await run();
    } catch (err) {
      // Two identical requests raced past the replay check: the loser hit the key's uniqueness; replay the winner.
      if (idemKey && adoption.dialect.isUniqueViolation(err)) return run();
      throw err;
    }
  };
}
