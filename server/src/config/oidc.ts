import { isIP } from 'node:net';
import { isOperatorRole, ROLE_RANK, type OperatorRole } from '../../../contract';
import { ConfigError } from './env';

export interface OidcConfig {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** The button says "Sign in with <name>". */
  providerName: string;
  /** Lower-case email domains whose people may sign in; nobody else gets past the callback. */
  allowedDomains: string[];
  /** The ID token or userinfo claim holding the person's groups or roles. */
  roleClaim: string;
  /** Claim value → opsroom role; the highest role any value maps to wins. */
  roleMap: Map<string, OperatorRole>;
  scopes: string;
  /** Where the provider sends the browser back; default: this server's /api/auth/sso/callback. */
  redirectUri?: string;
}

export interface SignInConfig {
  oidc?: OidcConfig;
  /** Email + password sign-in; can be turned off only when single sign-on is on. */
  passwordLogin?: boolean;
}

const isLoopback = (hostname: string) => hostname === 'localhost' || hostname === '[::1]' || (isIP(hostname) === 4 && hostname.startsWith('127.'));

/** Plain http is allowed only for an issuer on this machine (a provider run in a test or in development). */
export const insecureIssuerAllowed = (issuer: URL) => issuer.protocol === 'http:' && isLoopback(issuer.hostname);

function parseRoleMap(raw: string): Map<string, OperatorRole> {
  const map = new Map<string, OperatorRole>();
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const eq = entry.lastIndexOf('=');
    const value = entry.slice(0, eq).trim();
    const role = entry.slice(eq + 1).trim().toLowerCase();
    if (eq <= 0 || !value || !isOperatorRole(role)) {
      throw new ConfigError(`OIDC_ROLE_MAP: "${entry}" is not group=role with role admin or support (example: OIDC_ROLE_MAP=ops-admins=admin,ops-support=support).`);
    }
    map.set(value, role);
  }
  if (!map.size) throw new ConfigError('OIDC_ROLE_MAP is required with OIDC_ISSUER: map the provider\'s groups to roles, e.g. OIDC_ROLE_MAP=ops-admins=admin,ops-support=support.');
  return map;
}

/** OIDC_* and PASSWORD_LOGIN. Without OIDC_ISSUER single sign-on is off and none of the others may be set. */
export function readSignInConfig(env: NodeJS.ProcessEnv): SignInConfig {
  const passwordRaw = env.PASSWORD_LOGIN?.trim().toLowerCase();
  if (passwordRaw && !['true', 'false', '1', '0'].includes(passwordRaw)) throw new ConfigError(`PASSWORD_LOGIN must be true or false (got "${env.PASSWORD_LOGIN}").`);
  const passwordLogin = !(passwordRaw === 'false' || passwordRaw === '0');

  const issuerRaw = env.OIDC_ISSUER?.trim();
  if (!issuerRaw) {
    const stray = Object.keys(env).filter((k) => k.startsWith('OIDC_') && env[k]?.trim());
    if (stray.length) throw new ConfigError(`${stray[0]} is set but OIDC_ISSUER is not: set OIDC_ISSUER to your identity provider's issuer URL, or remove the OIDC_* variables.`);
    if (!passwordLogin) throw new ConfigError('PASSWORD_LOGIN=false needs single sign-on, or nobody can sign in: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or remove PASSWORD_LOGIN.');
    return { passwordLogin };
  }
  let issuer: URL;
  try {
    issuer = new URL(issuerRaw);
  } catch {
    throw new ConfigError(`OIDC_ISSUER is not a URL (got "${issuerRaw}"): use the issuer from your provider's discovery document, e.g. https://accounts.google.com.`);
  }
  if (issuer.protocol !== 'https:' && !insecureIssuerAllowed(issuer)) {
    throw new ConfigError(`OIDC_ISSUER must use https:// (got "${issuer.protocol}//"); plain http is accepted only for a provider on localhost.`);
  }
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) throw new ConfigError('OIDC_CLIENT_ID is required with OIDC_ISSUER: copy the client id of the app you registered at your identity provider.');
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim();
  if (!clientSecret) throw new ConfigError('OIDC_CLIENT_SECRET is required with OIDC_ISSUER: copy the client secret of the app you registered at your identity provider.');

  const allowedDomains = (env.OIDC_ALLOWED_DOMAINS ?? '').split(',').map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean);
  if (!allowedDomains.length) {
    throw new ConfigError('OIDC_ALLOWED_DOMAINS is required with OIDC_ISSUER: list the email domains whose people may sign in, e.g. OIDC_ALLOWED_DOMAINS=example.com.');
  }
  const badDomain = allowedDomains.find((d) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d));
  if (badDomain) throw new ConfigError(`OIDC_ALLOWED_DOMAINS: "${badDomain}" is not a domain name (example: OIDC_ALLOWED_DOMAINS=example.com,eu.example.com).`);

  let redirectUri: string | undefined;
  if (env.OIDC_REDIRECT_URI?.trim()) {
    try {
      redirectUri = new URL(env.OIDC_REDIRECT_URI.trim()).href;
    } catch {
      throw new ConfigError(`OIDC_REDIRECT_URI is not a URL (got "${env.OIDC_REDIRECT_URI}"): use https://<console host>/api/auth/sso/callback.`);
    }
  }
  const scopes = env.OIDC_SCOPES?.trim() || 'openid email profile';
  if (!scopes.split(/\s+/).includes('openid')) throw new ConfigError(`OIDC_SCOPES must include openid (got "${scopes}").`);

  return {
    passwordLogin,
    oidc: {
      issuer,
      clientId,
      clientSecret,
      providerName: env.OIDC_PROVIDER_NAME?.trim() || issuer.hostname,
      allowedDomains,
      roleClaim: env.OIDC_ROLE_CLAIM?.trim() || 'groups',
      roleMap: parseRoleMap(env.OIDC_ROLE_MAP ?? ''),
      scopes,
      redirectUri,
    },
  };
}

/** The highest role any of the claim's values maps to, or undefined when none does. */
export function mappedRole(oidc: Pick<OidcConfig, 'roleMap'>, claimValue: unknown): OperatorRole | undefined {
  const values = Array.isArray(claimValue) ? claimValue : typeof claimValue === 'string' ? claimValue.split(/[\s,]+/) : [];
  let best: OperatorRole | undefined;
  for (const v of values) {
    const role = typeof v === 'string' ? oidc.roleMap.get(v) : undefined;
    if (role && (!best || ROLE_RANK[role] > ROLE_RANK[best])) best = role;
  }
  return best;
}

/** Whether an email's domain is one of the allowed ones (exactly: a subdomain must be listed itself). */
export function emailDomainAllowed(oidc: Pick<OidcConfig, 'allowedDomains'>, email: string): boolean {
  const at = email.lastIndexOf('@');
  return at > 0 && oidc.allowedDomains.includes(email.slice(at + 1).toLowerCase());
}
