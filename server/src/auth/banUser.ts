import { z } from 'zod';
import { endSessionsOf } from './sessions';
import type { UseCaseActor as Actor } from '../usecases';
import { ConflictError } from '../usecases/domainErrors';
import { audit, lockRecord, modelOf, reasonSchema, updateRecord, type ActionContext, type Row } from '../usecases/records';

export const banInput = z.object({
  reason: reasonSchema,
  expires_at: z
    .union([z.iso.datetime({ offset: true, message: 'An ISO date-time, e.g. 2030-01-31T00:00:00Z' }), z.iso.date({ message: 'An ISO date, e.g. 2030-01-31' })])
    .transform((s) => new Date(s))
    .refine((d) => d.getTime() > Date.now(), 'Must be in the future')
    .nullish(),
});
export type BanInput = z.output<typeof banInput> & { userId: number };

/**
 * Bans a user and signs them out everywhere; returns the user as the API shows it. Operator
 * accounts (support/admin, the actor included) are refused: a support operator must not be able to
 * lock an admin out, and an admin demotes an operator to member before banning them.
 */
export function banUser(deps: ActionContext, actor: Actor, input: BanInput): Promise<Row> {
  const users = modelOf(deps, 'users');
  const id = input.userId;
  return deps.database.db.transaction(async (tx) => {
    const before = await lockRecord(tx, users, id);
    if (id === actor.actorId) throw new ConflictError('You cannot ban yourself.');
    if (before.role !== 'member') throw new ConflictError(`User ${id} is an operator (${before.role}); change their role to member before banning them.`);
    if (before.banned) throw new ConflictError(`User ${id} is already banned; unban them first to change the ban.`);
    const after = await updateRecord(tx, users, id, { banned: true, banReason: input.reason, banExpires: input.expires_at ?? null });
    // A ban that leaves the user's sessions alive (the app's included) would not take effect until they expire.
    await endSessionsOf(tx, id, { app: true });
    await audit(tx, actor, users, 'ban', before, after);
    return after;
  });
}

/** Lifts a ban; refused when the user is not banned. */
export function unbanUser(deps: ActionContext, actor: Actor, input: { userId: number }): Promise<Row> {
  const users = modelOf(deps, 'users');
  const id = input.userId;
  return deps.database.db.transaction(async (tx) => {
    const before = await lockRecord(tx, users, id);
    if (!before.banned) throw new ConflictError(`User ${id} is not banned.`);
    const after = await updateRecord(tx, users, id, { banned: false, banReason: null, banExpires: null });
    await audit(tx, actor, users, 'unban', before, after);
    return after;
  });
}
