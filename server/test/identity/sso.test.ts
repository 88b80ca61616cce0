import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { users } from '../../src/db/schema';
import { describeHardened, type HardenedServer } from '../hardening/support';
import { IdpBrowser, idpForFile } from '../support/oidcProvider';
import { createOperator, Session } from '../support/operators';

const { idp, signIn } = await idpForFile({
  OIDC_PROVIDER_NAME: 'Test IdP',
  OIDC_ALLOWED_DOMAINS: 'corp.test',
  OIDC_ROLE_MAP: 'ops-admins=admin,ops-support=support',
  OIDC_SCOPES: 'openid email profile groups',
  PASSWORD_LOGIN: 'false',
});

let seq = 0;
describeHardened(
  'single sign-on with OpenID Connect (password sign-in off)',
  (server) => {
    const browsers: IdpBrowser[] = [];
    const nonces: string[] = [];

    /** A person at the provider, and a browser that signs them in to opsroom. */
    function person(account: { email?: string; groups?: string[]; email_verified?: boolean }) {
      const login = `person-${++seq}`;
      idp.accounts.set(login, { email: `${login}@corp.test`, name: `Person ${seq}`, groups: [], ...account });
      const b = new IdpBrowser(login);
      browsers.push(b);
      return b;
    }
    async function signInWith(b: IdpBrowser) {
      const s = server();
      idp.allowRedirect(`${s.url}/api/auth/sso/callback`);
      const { final } = await b.signIn(`${s.url}/api/auth/sso/start`, s.url);
      for (const url of b.visited) {
        const nonce = new URL(url).searchParams.get('nonce');
        if (nonce) nonces.push(nonce);
      }
      return new URL(final);
    }
    const me = async (b: IdpBrowser) => {
      const res = await b.get(`${server().url}/api/auth/me`);
      return { status: res.status, body: res.status === 200 ? ((await res.json()) as { role: string; email: string }) : undefined };
    };
    const userByEmail = async (email: string) => (await server().ctx.database.db.select().from(users).where(eq(users.email, email)))[0];

    it('the login page is told to offer the provider and no password form; a password sign-in is refused', async () => {
      const s = server();
      const anon = new Session(s.url);
      expect((await anon.json('/api/auth/sso')).body).toEqual({ password: false, sso: { name: 'Test IdP', startUrl: '/api/auth/sso/start' } });
      const creds = await createOperator(s, 'admin');
      const login = await anon.json('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: creds.email, password: creds.password }) });
      expect(login.status).toBe(403);
      expect(login.body.message).toMatch(/Password sign-in is turned off.*Sign in with Test IdP/);
      expect(anon.cookie).toBe('');
    });

    it('a first sign-in creates the operator with the mapped role; each later one re-reads the groups', async () => {
      const b = person({ groups: ['staff', 'ops-support', 'ops-admins'] });
      const email = idp.accounts.get([...idp.accounts.keys()].pop()!)!.email;
      const first = await signInWith(b);
      expect(first.pathname + first.hash).toBe('/#/');
      expect(await me(b)).toEqual({ status: 200, body: expect.objectContaining({ email, role: 'admin' }) });
      const row = await userByEmail(email);
      expect(row).toMatchObject({ role: 'admin', passwordHash: null, emailVerified: true, banned: false });

      // Moved to the support group at the provider: support from the next sign-in, the old session ended.
      const oldSession = b.cookie(new URL(server().url).host, 'opsroom_session')!;
      idp.accounts.get([...idp.accounts.keys()].pop()!)!.groups = ['ops-support'];
      const second = new IdpBrowser([...idp.accounts.keys()].pop()!);
      browsers.push(second);
      await signInWith(second);
      expect((await me(second)).body?.role).toBe('support');
      const replayed = new Session(server().url);
      replayed.cookie = `opsroom_session=${oldSession}`;
      expect((await replayed.fetch('/api/auth/me')).status).toBe(401);

      // Out of every mapped group: refused, and no longer an operator.
      idp.accounts.get([...idp.accounts.keys()].pop()!)!.groups = ['staff'];
      const third = new IdpBrowser([...idp.accounts.keys()].pop()!);
      browsers.push(third);
      const refused = await signInWith(third);
      expect(refused.searchParams.get('sso_error')).toBe('no_role');
      expect((await me(second)).status).toBe(401);
      expect((await userByEmail(email))?.role).toBe('member');
      const audit = await queryRows<{ action: string; after: Record<string, string> }>(
        server().ctx.database.db,
        sql`select action, after from audit_log where resource = 'auth' and actor_email = ${email} order by id`,
      );
      expect(audit).toEqual([
        { action: 'sign_in', after: { via: 'sso', role: 'admin', provisioned: 'true' } },
        { action: 'sign_in', after: { via: 'sso', role: 'support', previous_role: 'admin' } },
        { action: 'sign_in_failed', after: { via: 'sso', reason: 'sso_no_role', previous_role: 'support' } },
      ]);
    });

    it('a person outside the allowed domains, or with an unverified email, gets no operator record', async () => {
      const outsider = person({ email: 'mallory@corp.test.evil.test', groups: ['ops-admins'] });
      expect((await signInWith(outsider)).searchParams.get('sso_error')).toBe('domain');
      expect(await userByEmail('mallory@corp.test.evil.test')).toBeUndefined();
      expect((await me(outsider)).status).toBe(401);
      const unverified = person({ email: 'unverified@corp.test', email_verified: false, groups: ['ops-admins'] });
      expect((await signInWith(unverified)).searchParams.get('sso_error')).toBe('no_email');
      expect(await userByEmail('unverified@corp.test')).toBeUndefined();
    });

    it('a banned account is refused whatever its groups say', async () => {
      const b = person({ email: 'banned-one@corp.test', groups: ['ops-admins'] });
      await server().ctx.database.db.insert(users).values({ email: 'banned-one@corp.test', role: 'support', banned: true });
      expect((await signInWith(b)).searchParams.get('sso_error')).toBe('banned');
      expect((await userByEmail('banned-one@corp.test'))?.role).toBe('support');
      expect((await me(b)).status).toBe(401);
    });

    for (const [what, tamper, why] of [
      ['an ID token for another client (wrong audience)', (c: Record<string, unknown>) => ({ ...c, aud: 'someone-else' }), /"claim":"aud"/],
      ['an expired ID token', (c: Record<string, unknown>) => ({ ...c, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }), /"claim":"exp"/],
      ['an ID token without the nonce this sign-in sent', (c: Record<string, unknown>) => ({ ...c, nonce: 'another-sign-in' }), /"claim":"nonce"/],
    ] as const) {
      it(`${what}, signed with the provider's own key, is refused`, async () => {
        const email = `tampered-${seq + 1}@corp.test`;
        const b = person({ email, groups: ['ops-admins'] });
        idp.tamper = tamper;
        try {
          expect((await signInWith(b)).searchParams.get('sso_error')).toBe('rejected');
        } finally {
          idp.tamper = undefined;
        }
        expect(await userByEmail(email)).toBeUndefined();
        expect((await me(b)).status).toBe(401);
        expect(server().logs.lines.filter((l) => l.includes('answer was refused')).pop()).toMatch(why);
      });
    }

    it('a state is good once, and only in the browser that started the sign-in', async () => {
      const s = server();
      const b = person({ groups: ['ops-support'] });
      await signInWith(b);
      const callback = b.visited.find((u) => u.startsWith(`${s.url}/api/auth/sso/callback`))!;
      const state = new URL(callback).searchParams.get('state')!;
      // The same callback again, even with the state cookie put back: used up.
      const replay = new IdpBrowser('nobody');
      replay.setCookie(new URL(s.url).host, 'opsroom_sso_state', state);
      const again = await replay.get(callback);
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toBe('/?sso_error=state#/login');
      expect(replay.cookie(new URL(s.url).host, 'opsroom_session')).toBeUndefined();

      // A fresh, unused state planted in another browser (login CSRF): refused without its cookie.
      const victim = new IdpBrowser('nobody');
      const attacker = person({ groups: ['ops-admins'] });
      const start = await attacker.get(`${s.url}/api/auth/sso/start`);
      const planted = new URL(start.headers.get('location')!).searchParams.get('state')!;
      const forged = await victim.get(`${s.url}/api/auth/sso/callback?code=whatever&state=${planted}`);
      expect(forged.headers.get('location')).toBe('/?sso_error=state#/login');
      // The refusal came before any look-up: the attacker's round trip is still open, and its own
      // cookie gets it as far as redeeming the (made-up) code.
      attacker.setCookie(new URL(s.url).host, 'opsroom_sso_state', planted);
      expect((await attacker.get(`${s.url}/api/auth/sso/callback?code=whatever&state=${planted}`)).headers.get('location')).toBe('/?sso_error=rejected#/login');
    });

    it('no client secret, code, token, state or nonce appears in any response body, log line or audit row', async () => {
      const s: HardenedServer = server();
      const secrets = [
        { what: 'client secret', values: [idp.clientSecret] },
        { what: 'authorization code', values: idp.issued.codes },
        { what: 'ID token', values: idp.issued.idTokens.flatMap((t) => [t, t.split('.')[2]!]) },
        { what: 'access token', values: idp.issued.accessTokens },
        { what: 'nonce', values: nonces },
      ];
      expect(idp.issued.codes.length).toBeGreaterThan(3);
      expect(nonces.length).toBeGreaterThan(3);
      const bodies = browsers.flatMap((b) => b.bodies).filter((r) => r.url.startsWith(s.url));
      const audit = await queryRows<{ row: string }>(s.ctx.database.db, sql`select a::text as row from audit_log a`);
      const found: string[] = [];
      for (const { what, values } of secrets) {
        for (const v of values.filter((x) => x.length >= 12)) {
          for (const r of bodies) if (r.body.includes(v)) found.push(`${what} in the response to ${r.url.slice(0, 80)}`);
          for (const line of s.logs.lines) if (line.includes(v)) found.push(`${what} in log line ${line.slice(0, 120)}`);
          for (const a of audit) if (a.row.includes(v)) found.push(`${what} in audit row ${a.row.slice(0, 120)}`);
        }
      }
      expect(bodies.length).toBeGreaterThan(10);
      expect(found).toEqual([]);
      // Nothing of a finished sign-in stays behind in the challenges table either.
      const [{ n } = { n: -1 }] = await queryRows<{ n: number }>(s.ctx.database.db, sql`select count(*)::int as n from auth_challenges where purpose = 'oidc' and data::text like '%' || ${nonces[0]!} || '%'`);
      expect(n).toBe(0);
    });
  },
  { config: signIn },
);
