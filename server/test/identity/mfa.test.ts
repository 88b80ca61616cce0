import { sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { expect, it } from 'vitest';
import { act, rows } from '../api/actions-helpers';
import { runCli } from '../support/cli';
import { createOperator, Session, type OperatorCredentials } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

/** The code an authenticator app shows for this secret, `stepsAhead` 30-second steps from now. */
const codeFor = (secret: string, stepsAhead = 0) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });

describeEachEngine(
  'second factor (TOTP and recovery codes) with REQUIRE_MFA_FOR=admin',
  (server) => {
    /** Password, then enrolment as the console does it: returns the secret and the recovery codes. */
    async function enrol(creds: OperatorCredentials) {
      const session = new Session(server().url);
      const login = await session.json('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: creds.email, password: creds.password }) });
      expect(login.status).toBe(200);
      expect(login.body).toEqual({ mfa: 'enrol', challenge: expect.any(String) });
      expect(session.cookie).toBe('');
      const setup = await act(session, '/api/auth/mfa/enrol/setup', { challenge: login.body.challenge });
      expect(setup.status).toBe(200);
      expect(setup.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/opsroom:.*secret=/);
      const wrong = await act(session, '/api/auth/mfa/enrol/confirm', { challenge: login.body.challenge, code: codeFor(setup.body.secret, 5) });
      expect(wrong.status).toBe(401);
      expect(wrong.body.errors).toHaveProperty('code');
      const confirmCode = codeFor(setup.body.secret);
      const done = await act(session, '/api/auth/mfa/enrol/confirm', { challenge: login.body.challenge, code: confirmCode });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ id: creds.id, email: creds.email, csrfToken: expect.any(String) });
      expect(done.body.recovery_codes).toHaveLength(10);
      session.csrf = done.body.csrfToken;
      return { session, secret: setup.body.secret as string, confirmCode, recoveryCodes: done.body.recovery_codes as string[] };
    }

    const passwordStep = async (creds: OperatorCredentials) => {
      const session = new Session(server().url);
      const res = await session.json('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: creds.email, password: creds.password }) });
      expect(res.status).toBe(200);
      return { session, body: res.body as { mfa?: string; challenge?: string; csrfToken?: string } };
    };

    it('an admin without a second factor sets one up before any session exists, then signs in with a code', async () => {
      const creds = await createOperator(server(), 'admin');
      const { session, secret, confirmCode } = await enrol(creds);
      expect((await session.json('/api/auth/me')).status).toBe(200);
      expect((await session.json('/api/auth/mfa')).body).toEqual({ totp: true, passkeys: [], recovery_codes_left: 10, required: true });

      const next = await passwordStep(creds);
      expect(next.body).toEqual({ mfa: 'verify', challenge: expect.any(String), methods: ['totp', 'recovery_code'] });
      expect((await next.session.json('/api/auth/me')).status).toBe(401);
      // The code that confirmed enrolment was spent: the same code is refused within its window.
      expect((await act(next.session, '/api/auth/mfa/verify', { challenge: next.body.challenge, code: confirmCode })).status).toBe(401);
      const ok = await act(next.session, '/api/auth/mfa/verify', { challenge: next.body.challenge, code: codeFor(secret, 1) });
      expect(ok.status).toBe(200);
      expect((await next.session.json('/api/auth/me')).status).toBe(200);
      // The challenge was single-use.
      expect((await act(new Session(server().url), '/api/auth/mfa/verify', { challenge: next.body.challenge, code: codeFor(secret, -1) })).status).toBe(401);

      const [audit] = await rows<{ row: string }>(server(), sql`select a::text as row from audit_log a where action = 'mfa_enrol' and actor_id = ${creds.id}`);
      expect(audit).toBeDefined();
      const [stored] = await rows<{ encrypted_secret: string }>(server(), sql`select encrypted_secret from operator_totp where user_id = ${creds.id}`);
      expect(stored!.encrypted_secret).not.toContain(secret);
      expect(stored!.encrypted_secret).toMatch(/^v\d+:/);
    });

    it('a recovery code signs in once; the wrong codes are throttled', async () => {
      const creds = await createOperator(server(), 'admin');
      const { recoveryCodes } = await enrol(creds);
      const first = await passwordStep(creds);
      const used = await act(first.session, '/api/auth/mfa/verify', { challenge: first.body.challenge, recovery_code: recoveryCodes[3]!.toUpperCase() });
      expect(used.status).toBe(200);
      const second = await passwordStep(creds);
      const again = await act(second.session, '/api/auth/mfa/verify', { challenge: second.body.challenge, recovery_code: recoveryCodes[3] });
      expect(again.status).toBe(401);
      expect(again.body.errors).toHaveProperty('recovery_code');
      first.session.csrf = used.body.csrfToken;
      expect((await first.session.json('/api/auth/mfa')).body.recovery_codes_left).toBe(9);

      // Wrong codes: a handful, then 429 even for a right code, across fresh password sign-ins.
      let status = 401;
      for (let i = 0; i < 10 && status === 401; i++) {
        const step = await passwordStep(creds);
        status = (await act(step.session, '/api/auth/mfa/verify', { challenge: step.body.challenge, code: '000000' })).status;
      }
      expect(status).toBe(429);
      const step = await passwordStep(creds);
      expect((await act(step.session, '/api/auth/mfa/verify', { challenge: step.body.challenge, recovery_code: recoveryCodes[0] })).status).toBe(429);
    });

    it('support is not covered by REQUIRE_MFA_FOR=admin, may enrol from the console, and is asked for a code from then on', async () => {
      const creds = await createOperator(server(), 'support');
      const { session, body } = await passwordStep(creds);
      expect(body.csrfToken).toBeDefined();
      session.csrf = body.csrfToken!;
      expect((await session.json('/api/auth/mfa')).body).toEqual({ totp: false, passkeys: [], recovery_codes_left: 0, required: false });
      const setup = await act(session, '/api/auth/mfa/totp/setup');
      expect(setup.status).toBe(200);
      expect((await act(session, '/api/auth/mfa/totp/confirm', { code: 'abcdef' })).status).toBe(400);
      const confirmed = await act(session, '/api/auth/mfa/totp/confirm', { code: codeFor(setup.body.secret) });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.recovery_codes).toHaveLength(10);
      expect((await act(session, '/api/auth/mfa/totp/setup')).status).toBe(409);
      expect((await passwordStep(creds)).body.mfa).toBe('verify');
    });

    it('bad input to the second-factor routes is a 400 naming the field; a made-up challenge is a 401', async () => {
      const s = new Session(server().url);
      expect((await act(s, '/api/auth/mfa/verify', {})).body.errors).toHaveProperty('challenge');
      expect((await act(s, '/api/auth/mfa/verify', { challenge: 'x'.repeat(43), code: '12345' })).body.errors).toHaveProperty('code');
      expect((await act(s, '/api/auth/mfa/verify', { challenge: 'x'.repeat(43), code: '123456', recovery_code: 'abcd-efgh-jkmn' })).status).toBe(400);
      expect((await act(s, '/api/auth/mfa/verify', { challenge: 'x'.repeat(43), code: '123456' })).status).toBe(401);
      expect((await act(s, '/api/auth/mfa/enrol/setup', { challenge: 'x'.repeat(43) })).status).toBe(401);
      expect((await act(s, '/api/auth/mfa/totp/setup')).status).toBe(401);
    });

    it('npm run admin:create -- --reset-mfa removes the factors and ends the sessions', async (t) => {
      if (!server().databaseUrl) return t.skip('the CLI needs its own connection: runs on PostgreSQL (TEST_DATABASE_URL)');
      const creds = await createOperator(server(), 'admin');
      const { session } = await enrol(creds);
      const res = await runCli('scripts/admin-create.ts', ['--email', creds.email, '--reset-mfa'], { env: { DATABASE_URL: server().databaseUrl! } });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect((await session.json('/api/auth/me')).status).toBe(401);
      expect((await passwordStep(creds)).body.mfa).toBe('enrol');
      const [audit] = await rows(server(), sql`select actor_email from audit_log where action = 'mfa_reset' and record_id = ${String(creds.id)}`);
      expect(audit).toEqual({ actor_email: 'admin:create (shell)' });
    });
  },
  { config: { requireMfaFor: 'admin' } },
);
