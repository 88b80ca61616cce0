import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import Provider from 'oidc-provider';
import { afterAll } from 'vitest';
import { readSignInConfig } from '../../src/config/oidc';

export interface IdpAccount {
  email: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Login name (typed in the provider's own sign-in form) → what the provider says about that person. */
  accounts: Map<string, IdpAccount>;
  /** Registers the relying party's callback, as one does in a provider's console. */
  allowRedirect(uri: string): void;
  /**
   * Rewrites the next ID tokens' claims and signs them again with the provider's own key: a
   * provider misconfigured or misbehaving, whose signature is still good, so only the claim checks
   * can catch it. Undefined: tokens as issued.
   */
  tamper?: (claims: JWTPayload) => JWTPayload;
  /** Every authorization code the provider issued and every ID token it sent, for the secrets scan. */
  issued: { codes: string[]; idTokens: string[]; accessTokens: string[] };
  close(): Promise<void>;
}

/** opsroom's sign-in settings pointing at `idp`, read as the OIDC_* variables would be (`env` adds the rest). */
export function signInConfigFor(idp: TestIdp, env: Record<string, string> = {}) {
  return readSignInConfig({ OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, ...env });
}

/** A provider for the whole test file (call it at the top level; it closes after the file) and the settings that point at it. */
export async function idpForFile(env: Record<string, string> = {}) {
  const idp = await startTestIdp();
  afterAll(() => idp.close());
  return { idp, signIn: signInConfigFor(idp, env) };
}

/**
 * A real OpenID provider (panva's `oidc-provider`, the certified implementation) on a loopback
 * port, with its development sign-in form: any login name from `accounts`, any password.
 */
export async function startTestIdp(): Promise<TestIdp> {
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clientId = 'opsroom-test';
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: 'test-key', use: 'sig', alg: 'RS256' };
  const signingKey = await importJWK(jwk, 'RS256');
  const accounts = new Map<string, IdpAccount>();
  const redirects = new Set<string>();

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: ['http://127.0.0.1/registered-later'], response_types: ['code'], grant_types: ['authorization_code'] }],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account && { accountId: sub, claims: async () => ({ sub, ...account }) };
    },
  });
  provider.Client.prototype.redirectUriAllowed = (uri: string) => redirects.has(uri);

  const idp: TestIdp = {
    issuer,
    clientId,
    clientSecret,
    accounts,
    allowRedirect: (uri) => redirects.add(uri),
    issued: { codes: [], idTokens: [], accessTokens: [] },
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };

  provider.use(async (ctx, next) => {
    await next();
    const location = ctx.response.get('location');
    const code = location && new URL(location, issuer).searchParams.get('code');
    if (code) idp.issued.codes.push(code);
    const body = ctx.body as { id_token?: string; access_token?: string } | undefined;
    if (ctx.path !== '/token' || !body?.id_token) return;
    if (idp.tamper) {
      body.id_token = await new SignJWT(idp.tamper(decodeJwt(body.id_token))).setProtectedHeader({ alg: 'RS256', kid: jwk.kid! }).sign(signingKey);
    }
    idp.issued.idTokens.push(body.id_token);
    if (body.access_token) idp.issued.accessTokens.push(body.access_token);
  });
  http.on('request', provider.callback());
  return idp;
}

/** Clicks through the provider's development sign-in and consent forms over HTTP, with a cookie jar. */
export class IdpBrowser {
  private jar = new Map<string, string>();
  /** Every URL visited, in order (the callback among them, with its code and state). */
  readonly visited: string[] = [];
  /** Every response body received, for the secrets scan. */
  readonly bodies: { url: string; body: string }[] = [];

  constructor(private readonly login: string) {}

  private async go(url: string, init: RequestInit = {}): Promise<Response> {
    this.visited.push(url);
    const headers = new Headers(init.headers);
    const host = new URL(url).host;
    const cookies = [...this.jar].filter(([k]) => k.startsWith(`${host}|`)).map(([k, v]) => `${k.split('|')[1]}=${v}`);
    if (cookies.length) headers.set('cookie', cookies.join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.bodies.push({ url, body: await res.clone().text() });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, eq), pair!.slice(eq + 1)];
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(`${host}|${name}`);
      else this.jar.set(`${host}|${name}`, value);
    }
    return res;
  }

  /** The state cookie of a relying party, as this "browser" holds it. */
  cookie(host: string, name: string) {
    return this.jar.get(`${host}|${name}`);
  }

  setCookie(host: string, name: string, value: string) {
    this.jar.set(`${host}|${name}`, value);
  }

  /** Follows redirects and submits the provider's forms until a page of `app` outside its /api. */
  async signIn(startUrl: string, app: string): Promise<{ final: string; status: number }> {
    const arrived = (u: string) => u.startsWith(app) && !new URL(u).pathname.startsWith('/api/');
    let url = startUrl;
    let init: RequestInit = {};
    for (let hops = 0; hops < 20; hops++) {
      const res = await this.go(url, init);
      init = {};
      const location = res.headers.get('location');
      if (location) {
        url = new URL(location, url).href;
        if (arrived(url)) return { final: url, status: res.status };
        continue;
      }
      const html = await res.text();
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html);
      if (!form) return { final: url, status: res.status };
      const fields = new URLSearchParams();
      for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.set(m[1]!, m[2]!);
      if (/name="login"/.test(html)) {
        fields.set('login', this.login);
        fields.set('password', 'any');
      }
      url = new URL(form[1]!.replace(/&amp;/g, '&'), url).href;
      init = { method: 'POST', body: fields, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    }
    throw new Error('the sign-in did not finish in 20 steps');
  }

  /** Requests a URL once, without following its redirect. */
  async get(url: string) {
    return this.go(url);
  }
}
