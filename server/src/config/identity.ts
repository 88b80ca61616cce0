import { ConfigError } from './env';

export const MFA_POLICIES = ['none', 'admin', 'all'] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

/** Four-eyes thresholds: an action at or past one becomes a request a second admin approves. */
export interface ApprovalPolicy {
  /** Credit grants or deductions whose size is above this many credits. */
  creditsAbove?: number;
  /** Refunds of orders whose amount (minor units, e.g. cents) is above this. */
  refundAbove?: number;
  roleChanges: boolean;
  providerKeyRotation: boolean;
  bulkPayouts: boolean;
  /** How long a request waits for a decision. */
  ttlMs: number;
}

export interface IdentityConfig {
  /** Which operators must pass a second factor after their password (REQUIRE_MFA_FOR). */
  requireMfaFor?: MfaPolicy;
  approvals?: ApprovalPolicy;
}

const flag = (env: NodeJS.ProcessEnv, name: string) => {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}").`);
};

const amount = (env: NodeJS.ProcessEnv, name: string) => {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a whole number >= 0 (got "${raw}").`);
  return n;
};

/** REQUIRE_MFA_FOR and the APPROVAL_* variables; unset means no second factor and no approvals. */
export function readIdentityConfig(env: NodeJS.ProcessEnv): IdentityConfig {
  const mfa = (env.REQUIRE_MFA_FOR?.trim().toLowerCase() || 'none') as MfaPolicy;
  if (!MFA_POLICIES.includes(mfa)) throw new ConfigError(`REQUIRE_MFA_FOR must be admin, all or none (got "${env.REQUIRE_MFA_FOR}").`);
  const approvals: ApprovalPolicy = {
    creditsAbove: amount(env, 'APPROVAL_CREDITS_ABOVE'),
    refundAbove: amount(env, 'APPROVAL_REFUND_ABOVE'),
    roleChanges: flag(env, 'APPROVAL_ROLE_CHANGES'),
    providerKeyRotation: flag(env, 'APPROVAL_KEY_ROTATION'),
    bulkPayouts: flag(env, 'APPROVAL_BULK_PAYOUTS'),
    ttlMs: (amount(env, 'APPROVAL_TTL_HOURS') ?? 24) * 3_600_000,
  };
  if (approvals.ttlMs === 0) throw new ConfigError('APPROVAL_TTL_HOURS must be at least 1.');
  return { requireMfaFor: mfa, approvals };
}
