import { eq } from 'drizzle-orm';
import { writeAudit } from '../../ops/writeAudit';
import type { Db } from '../../db/client';
import { authChallenges, operatorPasskeys, operatorRecoveryCodes, operatorTotp, operatorSessions, users } from '../../db/schema';
import { OperatorError } from '../operators';

/**
 * The way back for an operator who lost their authenticator: every second factor removed, every
 * session ended, so the next sign-in starts enrolment again (when REQUIRE_MFA_FOR covers them).
 * Run from the server's shell (`npm run admin:create -- --email … --reset-mfa`), never over HTTP.
 */
export async function resetMfa(db: Db, email: string): Promise<{ id: number }> {
  const normalized = email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, normalized));
    if (!user) throw new OperatorError(`${normalized} does not exist.`);
    await tx.delete(operatorTotp).where(eq(operatorTotp.userId, user.id));
    await tx.delete(operatorRecoveryCodes).where(eq(operatorRecoveryCodes.userId, user.id));
    await tx.delete(operatorPasskeys).where(eq(operatorPasskeys.userId, user.id));
    await tx.delete(authChallenges).where(eq(authChallenges.userId, user.id));
    await tx.delete(operatorSessions).where(eq(operatorSessions.userId, user.id));
    await writeAudit(tx, { actorId: null, actorEmail: 'admin:create (shell)', ip: null, requestId: 'cli' }, { action: 'mfa_reset', resource: 'auth', recordId: user.id, after: { email: user.email } });
    return { id: user.id };
  });
}
