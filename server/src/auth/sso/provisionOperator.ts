import { eq } from 'drizzle-orm';
import type { OperatorRole } from '../../../../contract';
import type { Db } from '../../db/client';
import { users, type User } from '../../db/schema';
import { endSessionsOf } from '../sessions';

export interface SsoIdentity {
  email: string;
  name?: string;
  /** What the provider's groups map to; undefined when none maps to a role. */
  role: OperatorRole | undefined;
}

export type Provisioned =
  | { outcome: 'signed_in'; user: User; previousRole?: User['role']; created?: boolean }
  | { outcome: 'banned' | 'sso_no_role'; user?: User; previousRole?: User['role']; created?: undefined };

/**
 * The provider is the source of truth for whoever signs in through it. First sign-in: the operator
 * record is created with the mapped role (just in time, no invitation step). Every later sign-in
 * sets the role again from the groups, so a move between groups at the provider takes effect at the
 * next sign-in; a person the groups no longer map to a role loses console access (role `member`).
 * A role change ends the operator's other sessions, as an admin's edit would. A banned account is
 * refused whatever the provider says.
 */
export async function provisionOperator(db: Db, who: SsoIdentity): Promise<Provisioned> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.email, who.email)).for('update').limit(1);
    if (existing?.banned) return { outcome: 'banned', user: existing };
    const role = who.role ?? 'member';
    if (!existing) {
      if (!who.role) return { outcome: 'sso_no_role' };
      // Two first sign-ins at once: the second insert does nothing and reads the first one's row.
      const [created] = await tx
        .insert(users)
        .values({ email: who.email, name: who.name || who.email.split('@')[0], role, emailVerified: true })
        .onConflictDoNothing({ target: users.email })
        .returning();
      const user = created ?? (await tx.select().from(users).where(eq(users.email, who.email)).limit(1))[0]!;
      return { outcome: 'signed_in', user, created: !!created };
    }
    let user = existing;
    if (existing.role !== role) {
      [user] = (await tx.update(users).set({ role }).where(eq(users.id, existing.id)).returning()) as [User];
      await endSessionsOf(tx, existing.id);
    }
    const previousRole = existing.role !== role ? existing.role : undefined;
    return who.role ? { outcome: 'signed_in', user, previousRole } : { outcome: 'sso_no_role', user, previousRole };
  });
}
