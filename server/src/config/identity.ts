import { ConfigError } from './env';

export const MFA_POLICIES = ['none', 'admin', 'all'] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

export interface WebAuthnConfig {
  /** The console's public origins (WEBAUTHN_ORIGIN); unset: the origin each request arrived on. */
  origins?: string[];
  /** The relying party id passkeys are bound to (WEBAUTHN_RP_ID); unset: the first origin's host name. */
  rpId?: string;
}

/**
 * Which actions need a second admin (APPROVAL_*). An unset threshold means the action runs at once;
 * `0` means every such action waits for approval.
 */
export interface ApprovalConfig {
  /** Grants or deducts of more than this many credits (APPROVAL_CREDITS_ABOVE). */
  creditsAbove?: number;
  /** Refunds of orders worth more than this, in minor units (APPROVAL_REFUNDS_ABOVE, given in major units). */
  refundsAboveMinor?: number;
  /** Commission payouts whose commissions total more than this, in minor units (APPROVAL_PAYOUTS_ABOVE). */
  payoutsAboveMinor?: number;
  /** Every change of an operator's or user's role (APPROVAL_ROLE_CHANGES). */
  roleChanges: boolean;
  /** Every provider-key rotation (APPROVAL_KEY_ROTATION). */
  keyRotation: boolean;
  /** How long a request waits for a decision before it expires (APPROVAL_EXPIRES_HOURS). */
  expiresMs: number;
}

export interface IdentityConfig {
  /** Which operators must pass a second factor after their password (REQUIRE_MFA_FOR). */
  requireMfaFor?: MfaPolicy;
  webauthn?: WebAuthnConfig;
  approvals?: ApprovalConfig;
}

const DEFAULT_APPROVAL_HOURS = 24;

function thresholdVar(env: NodeJS.ProcessEnv, name: string, unit: string, scale: number): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const decimals = scale === 1 ? '' : '(\\.\\d{1,2})?';
  if (!new RegExp(`^\\d{1,12}${decimals}$`).test(raw)) throw new ConfigError(`${name} must be ${unit} such as ${scale === 1 ? '1000' : '250.00'} (got "${raw}"); unset it to let the action run without approval.`);
  return Math.round(Number(raw) * scale);
}

function flagVar(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}").`);
}

/** APPROVAL_*: all unset means no action waits for a second admin (a fresh install has one admin). */
export function readApprovalConfig(env: NodeJS.ProcessEnv): ApprovalConfig {
  const hoursRaw = env.APPROVAL_EXPIRES_HOURS?.trim();
  const hours = hoursRaw ? Number(hoursRaw) : DEFAULT_APPROVAL_HOURS;
  if (!/^\d{1,4}$/.test(hoursRaw ?? '24') || hours < 1 || hours > 720) throw new ConfigError(`APPROVAL_EXPIRES_HOURS must be a whole number of hours from 1 to 720 (got "${hoursRaw}").`);
  return {
    creditsAbove: thresholdVar(env, 'APPROVAL_CREDITS_ABOVE', 'a whole number of credits', 1),
    refundsAboveMinor: thresholdVar(env, 'APPROVAL_REFUNDS_ABOVE', "an amount in the order's currency", 100),
    payoutsAboveMinor: thresholdVar(env, 'APPROVAL_PAYOUTS_ABOVE', 'an amount of commission', 100),
    roleChanges: flagVar(env, 'APPROVAL_ROLE_CHANGES'),
    keyRotation: flagVar(env, 'APPROVAL_KEY_ROTATION'),
    expiresMs: hours * 3600 * 1000,
  };
}

/** WEBAUTHN_ORIGIN (comma-separated origins) and WEBAUTHN_RP_ID, checked against each other at boot. */
export function readWebAuthnConfig(env: NodeJS.ProcessEnv): WebAuthnConfig {
  const raw = env.WEBAUTHN_ORIGIN?.trim();
  const origins = raw
    ? raw.split(',').map((o) => {
        let url: URL;
        try {
          url = new URL(o.trim());
        } catch {
          throw new ConfigError(`WEBAUTHN_ORIGIN must be the console's origin such as https://ops.example.com (got "${o.trim()}").`);
        }
        if (url.origin !== o.trim().replace(/\/$/, '')) throw new ConfigError(`WEBAUTHN_ORIGIN must be an origin without a path, such as ${url.origin} (got "${o.trim()}").`);
        return url.origin;
      })
    : undefined;
  const rpId = env.WEBAUTHN_RP_ID?.trim().toLowerCase() || undefined;
  if (rpId && !/^[a-z0-9.-]+$/.test(rpId)) throw new ConfigError(`WEBAUTHN_RP_ID must be a host name such as example.com (got "${env.WEBAUTHN_RP_ID}").`);
  if (rpId && !origins) throw new ConfigError('WEBAUTHN_RP_ID needs WEBAUTHN_ORIGIN: set the console origin(s) the passkeys are used from.');
  if (rpId && origins) {
    for (const o of origins) {
      const host = new URL(o).hostname;
      if (host !== rpId && !host.endsWith(`.${rpId}`)) throw new ConfigError(`WEBAUTHN_RP_ID "${rpId}" must be ${host} or a parent domain of it (WEBAUTHN_ORIGIN ${o}).`);
    }
  }
  return { origins, rpId: rpId ?? (origins ? new URL(origins[0]!).hostname : undefined) };
}

/** REQUIRE_MFA_FOR (unset means no second factor) and the passkey relying party. */
export function readIdentityConfig(env: NodeJS.ProcessEnv): IdentityConfig {
  const mfa = (env.REQUIRE_MFA_FOR?.trim().toLowerCase() || 'none') as MfaPolicy;
  if (!MFA_POLICIES.includes(mfa)) throw new ConfigError(`REQUIRE_MFA_FOR must be admin, all or none (got "${env.REQUIRE_MFA_FOR}").`);
  return { requireMfaFor: mfa, webauthn: readWebAuthnConfig(env), approvals: readApprovalConfig(env) };
}
