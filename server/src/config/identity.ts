import { ConfigError } from './env';

export const MFA_POLICIES = ['none', 'admin', 'all'] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

export interface IdentityConfig {
  /** Which operators must pass a second factor after their password (REQUIRE_MFA_FOR). */
  requireMfaFor?: MfaPolicy;
}

/** REQUIRE_MFA_FOR; unset means no second factor. */
export function readIdentityConfig(env: NodeJS.ProcessEnv): IdentityConfig {
  const mfa = (env.REQUIRE_MFA_FOR?.trim().toLowerCase() || 'none') as MfaPolicy;
  if (!MFA_POLICIES.includes(mfa)) throw new ConfigError(`REQUIRE_MFA_FOR must be admin, all or none (got "${env.REQUIRE_MFA_FOR}").`);
  return { requireMfaFor: mfa };
}
