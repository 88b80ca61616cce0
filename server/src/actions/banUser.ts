import { z } from 'zod';
import { endSessionsOf } from '../auth/sessions';
import { conflict } from '../http/errors';
import { operatorOf } from '../http/request';
import { audit, inTransaction, lockRecord, modelOf, parseRecordId, reasonSchema, updateRecord, validate, type ActionContext } from './support';

const banInput = z.object({
  reason: reasonSchema,
  expires_at: z
    .union([z.iso.datetime({ offset: true, message: 'An ISO date-time, e.g. 2030-01-31T00:00:00Z' }), z.iso.date({ message: 'An ISO date, e.g. 2030-01-31' })])
    .transform((s) => new Date(s))
    .refine((d) => d.getTime() > Date.now(), 'Must be in the future')
    .nullish(),
});

/**
 * POST /api/users/:id/ban {reason, expires_at?}: bans the user and signs them out everywhere.
 * Operator accounts (support/admin, yourself included) are refused: a support operator must not be
 * able to lock an admin out, and an admin demotes an operator to member before banning them.
 */
export function banUser(ctx: ActionContext) {
  const users = modelOf(ctx, 'users');
  return inTransaction(ctx, async (tx, req) => {
    const id = parseRecordId(req.params.id);
    const input = validate(banInput, req);
    const before = await lockRecord(tx, users, id);
    if (id === operatorOf(req).id) throw conflict('You cannot ban yourself.');
    if (before.role !== 'member') throw conflict(`User ${id} is an operator (${before.role}); change their role to member before banning them.`);
    if (before.banned) throw conflict(`User ${id} is already banned; unban them first to change the ban.`);
    const after = await updateRecord(tx, users, id, { banned: true, banReason: input.reason, banExpires: input.expires_at ?? null });
    // A ban that leaves the user's sessions alive would not take effect until they expire.
    await endSessionsOf(tx, id);
    await audit(tx, req, users, 'ban', before, after);
    return after;
  });
}

/** POST /api/users/:id/unban: lifts a ban; 409 when the user is not banned. */
export function unbanUser(ctx: ActionContext) {
  const users = modelOf(ctx, 'users');
  return inTransaction(ctx, async (tx, req) => {
    const id = parseRecordId(req.params.id);
    const before = await lockRecord(tx, users, id);
    if (!before.banned) throw conflict(`User ${id} is not banned.`);
    const after = await updateRecord(tx, users, id, { banned: false, banReason: null, banExpires: null });
    await audit(tx, req, users, 'unban', before, after);
    return after;
  });
}
