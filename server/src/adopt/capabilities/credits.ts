import type { Request, RequestHandler } from 'express';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { grantInput } from '../../billing/grantCredits';
import type { AppContext } from '../../context';
import { badRequest, conflict } from '../../http/errors';
import { parseBody } from '../../http/parseBody';
import { actorOf, operatorOf } from '../../http/request';
import type { creditsCapability } from '../mapping';
import type { Adoption } from '../resources';
import { auditAdopted } from '../records';
import { binder, lockTarget, type Row } from './support';

function idempotencyKeyOf(req: Request, resource: string): string | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw)) throw badRequest('Idempotency-Key must be 1 to 200 visible ASCII characters (a UUID is ideal).');
  return `credits:operator:${operatorOf(req).id}:${resource}:${String(req.params.id)}:${raw}`;
}

/**
 * POST /api/<users>/<id>/credits {amount, reason}: the balance row and one ledger row change in one
 * transaction, with the balance row locked, so the balance always equals the ledger's sum. Refuses
 * to go below zero. Safe to retry with the same Idempotency-Key (kept in opsroom.idempotency_keys).
 */
export function grantCredits(ctx: AppContext, adoption: Adoption, key: string, spec: z.infer<typeof creditsCapability>): RequestHandler {
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
  return async (req, res) => {
    const input = parseBody(grantInput, req.body ?? {});
    const idemKey = idempotencyKeyOf(req, users.name);
    const run = () =>
      ctx.database.db.transaction(async (tx) => {
        if (idemKey) {
          const [earlier] = await tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, idemKey)).limit(1);
          if (earlier) {
            if (JSON.stringify(earlier.request) !== JSON.stringify(input)) throw conflict('This Idempotency-Key was already used for a different adjustment; use a new key for a new adjustment.');
            return { replayed: true, body: earlier.response };
          }
        }
        const { row: user } = await lockTarget(tx, users, req);
        const owner = user[spec.userKey];
        const [current] = (await tx.select({ id: balance.keyFields[0]?.column ?? b.left, left: b.left, total: b.total ?? b.left }).from(balance.table).where(eq(b.user, owner)).limit(1).for('update')) as Row[];
        const left = Number(current?.left ?? 0);
        const total = Number(current?.total ?? 0);
        if (left + input.amount < 0) throw conflict(`Removing ${-input.amount} credits would leave a negative balance: this user has ${left}.`, { amount: `At most -${left}` });
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
        const after: Row = { id: users.present(user).id, left_credits: left + input.amount, total_credits: spec.balance.total ? total + Math.max(input.amount, 0) : undefined };
        const body = { ...after, transaction: ledger.present(transaction) };
        await auditAdopted(adoption, tx, actorOf(req), { action: 'adjust_credits', resource: users.name, recordId: after.id as string, before: { left_credits: left, total_credits: total }, after: { ...after, reason: input.reason } });
        if (idemKey) await tx.insert(idempotencyKeys).values({ key: idemKey, operatorId: operatorOf(req).id, request: input, response: body });
        return { replayed: false, body };
      });
    let result;
    try {
      result = await run();
    } catch (err) {
      // Two identical requests raced past the replay check: the loser hit the key's uniqueness; replay the winner.
      if (idemKey && adoption.dialect.isUniqueViolation(err)) result = await run();
      else throw err;
    }
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res.json(result.body);
  };
}
