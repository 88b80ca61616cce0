import type { AppContext } from '../../context';
import type { User } from '../../db/schema';
import { createChallenge } from './challenges';
import { passkeysOf } from './passkeys';
import { hasConfirmedTotp } from './totp';

/** Whether REQUIRE_MFA_FOR demands a second factor of this role. */
export function mfaRequired(ctx: AppContext, role: string): boolean {
  const policy = ctx.config.requireMfaFor ?? 'none';
  return policy === 'all' || (policy === 'admin' && role === 'admin');
}

export type SecondFactorMethod = 'passkey' | 'totp' | 'recovery_code';
export type SecondFactorStep = { mfa: 'verify'; challenge: string; methods: SecondFactorMethod[] } | { mfa: 'enrol'; challenge: string };

/**
 * After a right password: an operator with a second factor must pass it (whatever the policy);
 * one without, whom the policy covers, must set one up before a session exists. Otherwise none.
 */
export async function secondFactorStep(ctx: AppContext, user: Pick<User, 'id' | 'role'>): Promise<SecondFactorStep | undefined> {
  const { db } = ctx.database;
  const methods: SecondFactorMethod[] = [];
  if ((await passkeysOf(db, user.id)).length) methods.push('passkey');
  if (await hasConfirmedTotp(db, user.id)) methods.push('totp');
  if (methods.length) return { mfa: 'verify', challenge: await createChallenge(db, 'mfa', user.id), methods: [...methods, 'recovery_code'] };
  if (mfaRequired(ctx, user.role)) return { mfa: 'enrol', challenge: await createChallenge(db, 'mfa_enrol', user.id) };
  return undefined;
}
