import { createHash, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import { Router, type Request, type Response } from 'express';
import type { SignInMethods, SsoErrorCode } from '../../../../contract';
import { recordSignIn, type SignInOutcome } from '../../ops/signIns';
import { emailDomainAllowed, mappedRole, type OidcConfig } from '../../config/oidc';
import type { AppContext } from '../../context';
import { notFound } from '../../http/errors';
import { arrivedOverHttps } from '../../http/security';
import { issueSession } from '../issueSession';
import { allowSsoStart } from '../rateLimit';
import { consumeChallenge, createChallenge, findChallenge } from '../mfa/challenges';
import { authorizationUrl, newRoundTrip, providerConfiguration, verifiedClaims } from './provider';
import { provisionOperator } from './provisionOperator';

/** The state of the round trip in progress, bound to the browser that started it. */
const STATE_COOKIE = 'opsroom_sso_state';
const ROUND_TRIP_MS = 10 * 60 * 1000;
export const SSO_START_PATH = '/api/auth/sso/start';

// Lax, not Strict: the provider sends the browser back with a cross-site navigation, and a Strict
// cookie would stay behind. Scoped to the SSO routes, httpOnly, gone after one use.
const stateCookie = (req: Request) => ({ httpOnly: true, sameSite: 'lax' as const, secure: arrivedOverHttps(req), path: '/api/auth/sso' });

const sameText = (a: string, b: string) => {
  const [x, y] = [a, b].map((s) => createHash('sha256').update(s).digest());
  return timingSafeEqual(x!, y!);
};

/**
 * Single sign-on with OpenID Connect under /api/auth/sso: the authorization code flow with PKCE,
 * state and nonce (openid-client). `GET /` tells the login page what to offer; `start` and
 * `callback` are browser navigations, so they answer with redirects: to the provider, back to the
 * console, or to the login page with `?sso_error=<code>` (contract's SSO_ERRORS).
 */
export function ssoRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx.database;
  const oidc = ctx.config.oidc;

  router.get('/', (_req, res) => {
    const body: SignInMethods = { password: ctx.config.passwordLogin !== false, sso: oidc ? { name: oidc.providerName, startUrl: SSO_START_PATH } : null };
    res.json(body);
  });

  const configured = (): OidcConfig => {
    if (!oidc) throw notFound('Single sign-on is not configured on this server (set OIDC_ISSUER).');
    return oidc;
  };
  // No body: Express's default redirect body repeats the URL, and the provider's carries the nonce.
  const redirect = (res: Response, url: string) => res.status(303).location(url).end();
  const backToLogin = (res: Response, code: SsoErrorCode) => redirect(res, `/?sso_error=${code}#/login`);

  router.get('/start', async (req, res) => {
    const sso = configured();
    if (!(await allowSsoStart(db, req.ip ?? 'unknown'))) return backToLogin(res, 'throttled');
    let config: Awaited<ReturnType<typeof providerConfiguration>>;
    try {
      config = await providerConfiguration(sso);
    } catch (err) {
      ctx.logger.warn({ issuer: sso.issuer.href, why: (err as Error).message }, 'single sign-on: the identity provider cannot be reached');
      return backToLogin(res, 'unreachable');
    }
    const redirectUri = sso.redirectUri ?? `${req.protocol}://${req.get('host')}/api/auth/sso/callback`;
    // The state is a sign-in challenge's token: the database keeps its hash and, beside it, the
    // PKCE verifier and the nonce, which never leave the server.
    const trip = await newRoundTrip();
    const state = await createChallenge(db, 'oidc', null, { ...trip, redirectUri }, ROUND_TRIP_MS);
    const url = await authorizationUrl(config, sso, redirectUri, { state, ...trip });
    res.cookie(STATE_COOKIE, state, { ...stateCookie(req), maxAge: ROUND_TRIP_MS });
    redirect(res, url.href);
  });

  router.get('/callback', async (req, res) => {
    const sso = configured();
    res.clearCookie(STATE_COOKIE, stateCookie(req));
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const bound = parseCookies(req.headers.cookie ?? '')[STATE_COOKIE] ?? '';
    // A state this browser did not start (a link planted by someone else: login CSRF) is refused
    // before anything is looked up.
    if (!state || !bound || !sameText(state, bound)) return backToLogin(res, 'state');
    let roundTrip: Record<string, string>;
    try {
      const challenge = await findChallenge(db, state, 'oidc');
      // Used up before the code is redeemed: a replayed callback finds nothing.
      await consumeChallenge(db, challenge);
      roundTrip = challenge.data;
    } catch {
      return backToLogin(res, 'state');
    }
    if (typeof req.query.error === 'string') {
      ctx.logger.warn({ error: req.query.error.slice(0, 64) }, 'single sign-on: the identity provider refused the sign-in');
      return backToLogin(res, 'provider');
    }

    let claims: Record<string, unknown>;
    try {
      const config = await providerConfiguration(sso);
      const callbackUrl = new URL(roundTrip.redirectUri!);
      callbackUrl.search = new URL(req.originalUrl, 'http://x').search;
      claims = await verifiedClaims(config, callbackUrl, { state, verifier: roundTrip.verifier!, nonce: roundTrip.nonce! });
    } catch (err) {
      // The failed check and the name of the claim it read (aud, exp, nonce…); never the rest of
      // the error's `cause`, which holds the token's claims and the expected values.
      type Failure = { message?: string; code?: string; cause?: Failure & { claim?: unknown } };
      const e = err as Failure;
      const inner = e.cause instanceof Error ? e.cause : undefined;
      const claim = [e.cause?.claim, inner?.cause?.claim].find((c): c is string => typeof c === 'string');
      ctx.logger.warn({ why: inner?.message ?? e.message, code: e.code, claim }, 'single sign-on: the identity provider’s answer was refused');
      return backToLogin(res, 'rejected');
    }

    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    const ip = req.ip ?? 'unknown';
    const audit = (outcome: SignInOutcome, userId?: number, details: Record<string, string> = {}) =>
      recordSignIn(db, { email: email || `sso:${String(claims.sub).slice(0, 200)}`, userId, ip, requestId: req.id, outcome, details: { via: 'sso', ...details } });
    if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) return backToLogin(res, 'no_email');
    if (claims.email_verified === false) {
      await audit('sso_email_unverified');
      return backToLogin(res, 'no_email');
    }
    if (!emailDomainAllowed(sso, email)) {
      await audit('sso_domain_not_allowed');
      return backToLogin(res, 'domain');
    }
    const role = mappedRole(sso, claims[sso.roleClaim]);
    const name = typeof claims.name === 'string' ? claims.name.slice(0, 200) : undefined;
    const result = await provisionOperator(db, { email, name, role });
    const changed: Record<string, string> = result.previousRole ? { previous_role: result.previousRole } : result.created ? { provisioned: 'true' } : {};
    if (result.previousRole) ctx.sessionCache?.clear();
    if (result.outcome !== 'signed_in') {
      await audit(result.outcome, result.user?.id, changed);
      return backToLogin(res, result.outcome === 'banned' ? 'banned' : 'no_role');
    }
    await audit('signed_in', result.user.id, { role: result.user.role, ...changed });
    await issueSession(ctx, req, res, result.user);
    redirect(res, '/#/');
  });

  return router;
}
