import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { sha256 } from '../../crypto/secretBox';
import type { Db, Tx } from '../../db/client';
import { authChallenges, type AuthChallenge } from '../../db/schema';
import { UnauthenticatedError } from '../../usecases/domainErrors';

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
type Purpose = AuthChallenge['purpose'];

/** A single-use step of a sign-in; the browser gets the token, the database only its hash. */
export async function createChallenge(db: Db | Tx, purpose: Purpose, userId: number | null, data: Record<string, string> = {}, ttlMs = CHALLENGE_TTL_MS) {
  const token = randomBytes(32).toString('base64url');
  await db.delete(authChallenges).where(lt(authChallenges.expiresAt, new Date()));
  await db.insert(authChallenges).values({ tokenHash: sha256(token), purpose, userId, data, expiresAt: new Date(Date.now() + ttlMs) });
  return token;
}

export const challengeGone = () => new UnauthenticatedError('This sign-in step has expired or was already used. Sign in again.');

/** The live challenge behind a token; UnauthenticatedError (sign in again) when there is none. */
export async function findChallenge(db: Db | Tx, token: string, purpose: Purpose): Promise<AuthChallenge> {
  const [row] = await db
    .select()
    .from(authChallenges)
    .where(and(eq(authChallenges.tokenHash, sha256(token)), eq(authChallenges.purpose, purpose), gt(authChallenges.expiresAt, new Date())))
    .limit(1);
  if (!row) throw challengeGone();
  return row;
}

/**
 * Uses a challenge up: only the caller whose delete removed the row may go on, so two requests
 * racing with the same token (a replayed state, a double-submitted code) cannot both succeed.
 */
export async function consumeChallenge(db: Db | Tx, challenge: AuthChallenge): Promise<void> {
  const gone = await db.delete(authChallenges).where(eq(authChallenges.id, challenge.id)).returning({ id: authChallenges.id });
  if (!gone.length) throw challengeGone();
}
