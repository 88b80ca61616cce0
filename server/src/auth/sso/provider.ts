import type * as client from 'openid-client';
import { insecureIssuerAllowed, type OidcConfig } from '../../config/oidc';

let library: Promise<typeof client> | undefined;
/**
 * openid-client, imported once SSO is configured: startServer awaits it before listening (a
 * broken install still stops the boot there), and a server without SSO never loads it.
 */
export const openidClient = (): Promise<typeof client> => (library ??= import('openid-client'));

const discovered = new WeakMap<OidcConfig, Promise<client.Configuration>>();

/**
 * The provider's metadata and keys, fetched on the first sign-in rather than at boot: a provider
 * that is down for a minute must not keep the console (and its password sign-in) from starting.
 * A failed discovery is forgotten, so the next sign-in tries again.
 */
export function providerConfiguration(oidc: OidcConfig): Promise<client.Configuration> {
  let pending = discovered.get(oidc);
  if (!pending) {
    pending = openidClient()
      .then((client) =>
        client.discovery(oidc.issuer, oidc.clientId, undefined, client.ClientSecretBasic(oidc.clientSecret), {
          timeout: 10,
          execute: insecureIssuerAllowed(oidc.issuer) ? [client.allowInsecureRequests] : [],
        }),
      )
      .catch((err: unknown) => {
        discovered.delete(oidc);
        throw err;
      });
    discovered.set(oidc, pending);
  }
  return pending;
}

/** What one sign-in keeps server-side until the callback: they prove the answer belongs to this request. */
export async function newRoundTrip() {
  const client = await openidClient();
  return { verifier: client.randomPKCECodeVerifier(), nonce: client.randomNonce() };
}

/** The provider's authorization URL for one sign-in: code flow, PKCE (S256), state and nonce. */
export async function authorizationUrl(config: client.Configuration, oidc: OidcConfig, redirectUri: string, trip: { state: string; verifier: string; nonce: string }): Promise<URL> {
  const client = await openidClient();
  return client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: oidc.scopes,
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(trip.verifier),
    code_challenge_method: 'S256',
    state: trip.state,
    nonce: trip.nonce,
  });
}

/**
 * Exchanges the code and checks the ID token (signature, issuer, audience, expiry, nonce) and the
 * state; then merges the userinfo claims (Okta and Auth0 put groups there, not in the ID token).
 */
export async function verifiedClaims(
  config: client.Configuration,
  callbackUrl: URL,
  checks: { state: string; verifier: string; nonce: string },
): Promise<Record<string, unknown>> {
  const client = await openidClient();
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    expectedState: checks.state,
    pkceCodeVerifier: checks.verifier,
    expectedNonce: checks.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims()!;
  if (!config.serverMetadata().userinfo_endpoint || !tokens.access_token) return { ...idClaims };
  // fetchUserInfo refuses an answer about another subject than the ID token's.
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
  return { ...idClaims, ...userinfo, sub: idClaims.sub };
}
