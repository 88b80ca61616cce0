import type { RequestHandler } from 'express';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { banInput } from '../../auth/banUser';
import type { AppContext } from '../../context';
import { conflict } from '../../http/errors';
import { parseBody } from '../../http/parseBody';
import { actorOf } from '../../http/request';
import type { banCapability } from '../mapping';
import type { Adoption } from '../resources';
import { auditAdopted } from '../records';
import { binder, lockTarget, type Row } from './support';

/**
 * POST /api/<users>/<id>/ban {reason, expires_at?} and /unban, through the app's own ban columns
 * (Better Auth's admin plugin: banned, banReason, banExpires). A ban also deletes the user's rows in
 * the app's sessions table, as Better Auth does, so it takes effect at once.
 */
export function banActions(ctx: AppContext, adoption: Adoption, key: string, spec: z.infer<typeof banCapability>): { ban: RequestHandler; unban: RequestHandler } {
  const bind = binder(adoption, key);
  const users = bind.resource('resource', spec.resource);
  bind.column('banned', users, spec.banned);
  if (spec.reasonColumn) bind.column('reasonColumn', users, spec.reasonColumn);
  if (spec.expires) bind.column('expires', users, spec.expires);
  const sessions = spec.sessions ? bind.resource('sessions.resource', spec.sessions.resource) : undefined;
  const sessionUser = sessions && spec.sessions ? bind.column('sessions.user', sessions, spec.sessions.user) : undefined;
  const userId = users.keyFields[0];

  const change = (set: (input: z.infer<typeof banInput> | undefined) => Row, action: 'ban' | 'unban'): RequestHandler => async (req, res) => {
    const input = action === 'ban' ? parseBody(banInput, req.body ?? {}) : undefined;
    const after = await ctx.database.db.transaction(async (tx) => {
      const { row: before, where } = await lockTarget(tx, users, req);
      const banned = before[spec.banned] === true;
      if (action === 'ban' && banned) throw conflict(`${users.name} ${String(req.params.id)} is already banned; unban them first to change the ban.`);
      if (action === 'unban' && !banned) throw conflict(`${users.name} ${String(req.params.id)} is not banned.`);
      const row = await adoption.dialect.updateRow(tx, users, set(input), where);
      if (action === 'ban' && sessions && sessionUser && userId) await tx.delete(sessions.table).where(eq(sessionUser, before[userId.name]));
      const presented = users.present(row);
      await auditAdopted(adoption, tx, actorOf(req), { action, resource: users.name, recordId: presented.id as string, before: users.present(before), after: { ...presented, ...(input ? { reason: input.reason } : {}) } });
      return presented;
    });
    res.json(after);
  };

  const columns = (banned: boolean, reason: string | null, expires: Date | null): Row => ({
    [spec.banned]: banned,
    ...(spec.reasonColumn ? { [spec.reasonColumn]: reason } : {}),
    ...(spec.expires ? { [spec.expires]: expires } : {}),
  });
  return {
    ban: change((input) => columns(true, input!.reason, input!.expires_at ?? null), 'ban'),
    unban: change(() => columns(false, null, null), 'unban'),
  };
}
