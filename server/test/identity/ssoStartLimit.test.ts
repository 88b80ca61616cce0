import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { MAX_SSO_STARTS_PER_IP } from '../../src/auth/rateLimit';
import { queryRows } from '../../src/db/client';
import { idpForFile } from '../support/oidcProvider';
import { Session } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

const { idp, signIn } = await idpForFile({
  OIDC_ALLOWED_DOMAINS: 'corp.test',
  OIDC_ROLE_MAP: 'ops-admins=admin',
});

describeEachEngine(
  'single sign-on start is rate limited per address',
  (server) => {
    const start = (ip: string) => new Session(server().url).fetch('/api/auth/sso/start', { redirect: 'manual', headers: { 'x-forwarded-for': ip } });
    const challenges = async () => (await queryRows<{ n: number }>(server().ctx.database.db, sql`select count(*)::int as n from auth_challenges where purpose = 'oidc'`))[0]!.n;

    it(`an address that started ${MAX_SSO_STARTS_PER_IP} round trips is sent back to the login page without a new challenge; another address is not`, async () => {
      const flooder = '203.0.113.77';
      for (let i = 0; i < MAX_SSO_STARTS_PER_IP; i++) {
        const res = await start(flooder);
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toMatch(new RegExp(`^${idp.issuer}`));
      }
      const stored = await challenges();
      const refused = await start(flooder);
      expect(refused.status).toBe(303);
      expect(refused.headers.get('location')).toBe('/?sso_error=throttled#/login');
      expect(refused.headers.get('set-cookie')).toBeNull();
      expect(await challenges()).toBe(stored);

      const other = await start('198.51.100.9');
      expect(other.headers.get('location')).toMatch(new RegExp(`^${idp.issuer}`));
    });

    it('starting single sign-on does not count toward the password limits of the address', async () => {
      const res = await new Session(server().url).fetch('/api/auth/login', {
        method: 'POST',
        body: JSON.stringify({ email: 'nobody@corp.test', password: 'wrong-password' }),
        headers: { 'x-forwarded-for': '203.0.113.77' },
      });
      expect(res.status).toBe(401);
    });
  },
  { config: signIn },
);
