import type { Db } from '../db/client';
import { auditLog } from '../db/schema';

export type SignInOutcome = 'signed_in' | 'wrong_password' | 'unknown_email' | 'banned' | 'no_console_access';

export interface SignIn {
  email: string;
  /** The account the email names, when there is one. */
  userId?: number;
  ip: string | null;
  requestId: string;
  outcome: SignInOutcome;
}

/**
 * One audit row per sign-in attempt that reached the password check (resource `auth`, action
 * `sign_in` or `sign_in_failed`). The attempted email is the actor either way: "who did what" has to
 * answer for attempts on accounts that do not exist. The password is never passed here.
 */
export async function recordSignIn(db: Db, attempt: SignIn) {
  const ok = attempt.outcome === 'signed_in';
  await db.insert(auditLog).values({
    actorId: ok ? (attempt.userId ?? null) : null,
    actorEmail: attempt.email,
    ip: attempt.ip,
    requestId: attempt.requestId,
    action: ok ? 'sign_in' : 'sign_in_failed',
    resource: 'auth',
    recordId: attempt.userId === undefined ? null : String(attempt.userId),
    before: null,
    after: ok ? null : { reason: attempt.outcome },
  });
}
