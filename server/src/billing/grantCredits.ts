import type { Request, RequestHandler } from 'express';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/client';
import { credits, creditTransactions, users } from '../db/schema';
import { badRequest, conflict, notFound } from '../http/errors';
import { operatorOf } from '../http/request';
import { lockedBalance, moveCredits } from './ledger';
import { actorOf } from '../http/request';
import { audit, modelOf, parseRecordId, pgErrorOf, reasonSchema, validate, type ActionContext, type Row } from '../usecases/support';

const MAX_ADJUSTMENT = 1_000_000;

export const grantInput = z.object({
  amount: z
    .number({ error: 'A whole number of credits' })
    .int('A whole number of credits')
    .min(-MAX_ADJUSTMENT, `At most ${MAX_ADJUSTMENT.toLocaleString('en')} at once`)
    .max(MAX_ADJUSTMENT, `At most ${MAX_ADJUSTMENT.toLocaleString('en')} at once`)
    .refine((n) => n !== 0, 'Must not be zero'),
  reason: reasonSchema,
});

/**
 * The client's Idempotency-Key, namespaced by operator and user so one operator's key can never
 * replay another's grant or a grant to someone else.
 */
function idempotencyKeyOf(req: Request, userId: number): string | undefined {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(raw)) throw badRequest('Idempotency-Key must be 1 to 200 visible ASCII characters (a UUID is ideal).');
  return `admin_adjust:operator:${operatorOf(req).id}:user:${userId}:${raw}`;
}

/**
 * A retried request: the original ledger row and the user's balance as it is now (which is the
 * original result unless something else moved the balance since). Refuses a key reused for a
 * different adjustment, which is a client bug that must not pass silently.
 */
async function replay(db: Db | Tx, key: string, userId: number, input: z.output<typeof grantInput>, ledgerSelection: Row) {
  const [original] = (await db.select(ledgerSelection as never).from(creditTransactions).where(eq(creditTransactions.idempotencyKey, key)).limit(1)) as Row[];
  if (!original) return undefined;
  if (original.amount !== input.amount || original.description !== input.reason) {
    throw conflict('This Idempotency-Key was already used for a different adjustment; use a new key for a new adjustment.');
  }
  const [balance] = await db.select({ left_credits: credits.leftCredits, total_credits: credits.totalCredits }).from(credits).where(eq(credits.userId, userId));
  return { id: userId, ...balance, transaction: original };
}

/**
 * POST /api/users/:id/credits {amount, reason}: one ledger entry (admin_adjust) and the balance change
 * together; refuses to take a balance below zero. Safe to retry with the same Idempotency-Key.
 */
export function grantCredits(ctx: ActionContext): RequestHandler {
  const ledger = modelOf(ctx, 'credit_transactions');
  const usersModel = modelOf(ctx, 'users');
  return async (req, res) => {
    const userId = parseRecordId(req.params.id);
    const input = validate(grantInput, req);
    const key = idempotencyKeyOf(req, userId);
    const replayed = (body: unknown) => res.set('Idempotent-Replayed', 'true').json(body);
    try {
      const result = await ctx.database.db.transaction(async (tx) => {
        if (key) {
          const earlier = await replay(tx, key, userId, input, ledger.selection);
          if (earlier) return { replayed: true, body: earlier };
        }
        const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
        if (!user) throw notFound(`users ${userId} does not exist.`);
        const moved = await moveCredits(tx, ledger, {
          userId,
          type: 'admin_adjust',
          amount: input.amount,
          description: input.reason,
          actorId: operatorOf(req).id,
          idempotencyKey: key ?? null,
        });
        if (!moved) {
          const left = await lockedBalance(tx, userId);
          throw conflict(`Removing ${-input.amount} credits would leave a negative balance: user ${userId} has ${left}.`, { amount: `At most -${left}` });
        }
        const body = { id: userId, ...moved.balance, transaction: moved.transaction };
        const before = { id: userId, left_credits: moved.balance.left_credits - input.amount, total_credits: moved.balance.total_credits - Math.max(input.amount, 0) };
        await audit(tx, actorOf(req), usersModel, 'adjust_credits', before, body);
        return { replayed: false, body };
      });
      if (result.replayed) replayed(result.body);
      else res.json(result.body);
    } catch (err) {
      // Two identical requests raced past the replay check: the loser hit the unique key, its
      // transaction rolled back, and the winner's committed result is what both should see.
      if (key && pgErrorOf(err).code === '23505') {
        const earlier = await replay(ctx.database.db, key, userId, input, ledger.selection);
        if (earlier) return void replayed(earlier);
      }
      throw err;
    }
  };
}
