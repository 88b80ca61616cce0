import { and, count, eq } from 'drizzle-orm';
import type { UserRole } from '../../../contract';
import type { Tx } from '../db/client';
import { users } from '../db/schema';
import type { WriteChange } from '../resources/types';
import type { UseCaseActor } from '../usecases';
import { ConflictError } from '../usecases/domainErrors';
import { audit, lockRecord, modelOf, updateRecord, type ModelDeps, type Row } from '../usecases/records';
import { endSessionsOf } from './sessions';

const activeAdmins = and(eq(users.role, 'admin'), eq(users.banned, false));

/**
 * Locks every active admin row, so two admins demoting each other at once take turns and the
 * second sees the first's change: without it each sees the other still admin and both commit.
 */
async function lockAdmins(tx: Tx) {
  await tx.select({ id: users.id }).from(users).where(activeAdmins).orderBy(users.id).for('update');
}

async function refuseIfNoAdminLeft(tx: Tx, what: string) {
  const [row] = await tx.select({ n: count() }).from(users).where(activeAdmins);
  if ((row?.n ?? 0) === 0) {
    throw new ConflictError(`${what} would leave nobody with the admin role. Make someone else admin first.`, { role: 'At least one active admin must remain' });
  }
}

const roleChanges = (before: Row, values: Row) => values.role !== undefined && values.role !== before.role;

/** users: nobody changes their own role, no change leaves the console without an admin. */
export async function beforeUserUpdate(tx: Tx, { id, before, values, actor }: WriteChange & { values: Row }) {
  if (!roleChanges(before, values)) return;
  if (Number(id) === actor.actorId) {
    throw new ConflictError('You cannot change your own role; ask another admin.', { role: 'You cannot change your own role' });
  }
  if (before.role === 'admin') await lockAdmins(tx);
}

/**
 * users, edited through the generic routes: when role changes need a second admin
 * (APPROVAL_ROLE_CHANGES), the form cannot change a role; the role action asks for approval.
 */
export async function beforeUserEdit(tx: Tx, change: WriteChange & { values: Row }) {
  if (change.ctx?.config.approvals?.roleChanges && roleChanges(change.before, change.values)) {
    throw new ConflictError('Role changes need a second admin’s approval: use “Change role” on the user’s page.', { role: 'Needs approval: use “Change role”' });
  }
  await beforeUserUpdate(tx, change);
}

/** A new role takes effect at once: the sessions signed in under the old one end. */
export async function afterUserUpdate(tx: Tx, { id, before, after }: WriteChange & { after: Row }) {
  if (after.role === before.role) return;
  if (before.role === 'admin') await refuseIfNoAdminLeft(tx, `Changing the role of user ${id}`);
  await endSessionsOf(tx, Number(id));
}

export async function beforeUserDelete(tx: Tx, { before }: WriteChange) {
  if (before.role === 'admin') await lockAdmins(tx);
}

export async function afterUserDelete(tx: Tx, { id, before }: WriteChange) {
  if (before.role === 'admin') await refuseIfNoAdminLeft(tx, `Deleting user ${id}`);
}

/**
 * Gives a user another role, under the same rules as editing the role on the user's record (not your
 * own, never the last admin, their sessions end) and audited as that edit, so it can be reverted the
 * same way. ConflictError when the user already has the role.
 */
export function changeUserRole(deps: ModelDeps, actor: UseCaseActor, input: { userId: number; role: UserRole }): Promise<Row> {
  const usersModel = modelOf(deps, 'users');
  const id = input.userId;
  return deps.db.transaction(async (tx) => {
    const before = await lockRecord(tx, usersModel, id);
    if (before.role === input.role) throw new ConflictError(`User ${id} already has the ${input.role} role.`, { role: `Already ${input.role}` });
    const values = { role: input.role };
    await beforeUserUpdate(tx, { id, before, values, actor });
    const after = await updateRecord(tx, usersModel, id, values);
    await afterUserUpdate(tx, { id, before, after, actor });
    await audit(tx, actor, usersModel, 'update', before, after);
    return after;
  });
}
