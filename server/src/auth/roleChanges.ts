import { and, count, eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { users } from '../db/schema';
import { conflict } from '../http/errors';
import type { WriteChange } from '../resources/types';
import { endSessionsOf } from './sessions';

type Row = Record<string, unknown>;

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
    throw conflict(`${what} would leave nobody with the admin role. Make someone else admin first.`, { role: 'At least one active admin must remain' });
  }
}

const roleChanges = (before: Row, values: Row) => values.role !== undefined && values.role !== before.role;

/** users: nobody changes their own role, no change leaves the console without an admin. */
export async function beforeUserUpdate(tx: Tx, { id, before, values, actor }: WriteChange & { values: Row }) {
  if (!roleChanges(before, values)) return;
  if (Number(id) === actor.actorId) {
    throw conflict('You cannot change your own role; ask another admin.', { role: 'You cannot change your own role' });
  }
  if (before.role === 'admin') await lockAdmins(tx);
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
