import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { banInput } from '../../auth/banUser';
import type { UseCaseActor } from '../../usecases';
import { ConflictError } from '../../usecases/domainErrors';
import type { banCapability } from '../mapping';
import type { Adoption } from '../resources';
import { auditAdopted, recordIdOf } from '../records';
import { binder, lockTarget, type CapabilityDeps, type Row, type TargetInput } from './support';

export type BanInput = TargetInput & z.output<typeof banInput>;

export interface BanUseCases {
  /** Bans the user (the record as the API shows it afterwards); refused when already banned. */
  ban(deps: CapabilityDeps, actor: UseCaseActor, input: BanInput): Promise<Row>;
  /** Lifts the ban; refused when the user is not banned. */
  unban(deps: CapabilityDeps, actor: UseCaseActor, input: TargetInput): Promise<Row>;
}

/**
 * Ban and unban through the app's own ban columns (Better Auth's admin plugin: banned, banReason,
 * banExpires). A ban also deletes the user's rows in the app's sessions table, as Better Auth does,
 * so it takes effect at once. Binds the mapping's columns now, so a wrong name stops start-up.
 */
export function banUseCases(adoption: Adoption, key: string, spec: z.infer<typeof banCapability>): BanUseCases {
  const bind = binder(adoption, key);
  const users = bind.resource('resource', spec.resource);
  bind.column('banned', users, spec.banned);
  if (spec.reasonColumn) bind.column('reasonColumn', users, spec.reasonColumn);
  if (spec.expires) bind.column('expires', users, spec.expires);
  const sessions = spec.sessions ? bind.resource('sessions.resource', spec.sessions.resource) : undefined;
  const sessionUser = sessions && spec.sessions ? bind.column('sessions.user', sessions, spec.sessions.user) : undefined;
  const userId = users.keyFields[0];

  const columns = (banned: boolean, reason: string | null, expires: Date | null): Row => ({
    [spec.banned]: banned,
    ...(spec.reasonColumn ? { [spec.reasonColumn]: reason } : {}),
    ...(spec.expires ? { [spec.expires]: expires } : {}),
  });

  const change = (deps: CapabilityDeps, actor: UseCaseActor, id: string, ban: Omit<BanInput, 'id'> | undefined): Promise<Row> =>
    deps.db.transaction(async (tx) => {
      const action = ban ? 'ban' : 'unban';
      const { row: before, where } = await lockTarget(tx, users, id);
      const banned = before[spec.banned] === true;
      if (ban && banned) throw new ConflictError(`${users.name} ${id} is already banned; unban them first to change the ban.`);
      if (!ban && !banned) throw new ConflictError(`${users.name} ${id} is not banned.`);
      const row = await adoption.dialect.updateRow(tx, users, ban ? columns(true, ban.reason, ban.expires_at ?? null) : columns(false, null, null), where);
      if (ban && sessions && sessionUser && userId) await tx.delete(sessions.table).where(eq(sessionUser, before[userId.name]));
      const presented = users.present(row);
      await auditAdopted(adoption, tx, actor, { action, resource: users.name, recordId: recordIdOf(presented), before: users.present(before), after: { ...presented, ...(ban ? { reason: ban.reason } : {}) } });
      return presented;
    });

  return {
    ban: (deps, actor, { id, ...ban }) => change(deps, actor, id, ban),
    unban: (deps, actor, { id }) => change(deps, actor, id, undefined),
  };
}
