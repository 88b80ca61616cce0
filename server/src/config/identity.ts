import { ConfigError } from './env';

export const MFA_POLICIES = ['none', 'admin', 'all'] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];

export interface WebAuthnConfig {
  /** The console's public origins (WEBAUTHN_ORIGIN); unset: the origin each request arrived on. */
  origins?: string[];
  /** The relying party id passkeys are bound to (WEBAUTHN_RP_ID); unset: the first origin's host name. */
  rpId?: string;
}

export interface IdentityConfig {
  /** Which operators must pass a second factor after their password (REQUIRE_MFA_FOR). */
  requireMfaFor?: MfaPolicy;
  webauthn?: WebAuthnConfig;
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
  return { requireMfaFor: mfa, webauthn: readWebAuthnConfig(env) };
}
