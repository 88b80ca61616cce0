import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { act, rows } from '../api/actions-helpers';
import { createOperator, Session, type OperatorCredentials } from '../support/operators';
import { SoftAuthenticator } from '../support/softAuthenticator';
import { describeEachEngine } from '../support/testServer';

describeEachEngine(
  'passkeys as the second factor with REQUIRE_MFA_FOR=admin',
  (server) => {
    const passwordStep = async (creds: OperatorCredentials) => {
      const session = new Session(server().url);
      const res = await session.json('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: creds.email, password: creds.password }) });
      expect(res.status).toBe(200);
      return { session, body: res.body as { mfa?: string; challenge: string; methods?: string[]; csrfToken?: string } };
    };

    /** An admin's first sign-in, enrolling a passkey instead of an authenticator app. */
    async function enrolAtSignIn(creds: OperatorCredentials) {
      const key = new SoftAuthenticator(server().url);
      const { session, body } = await passwordStep(creds);
      expect(body.mfa).toBe('enrol');
      const options = await act(session, '/api/auth/mfa/enrol/passkey/options', { challenge: body.challenge });
      expect(options.status).toBe(200);
      expect(options.body.authenticatorSelection.userVerification).toBe('required');
      const done = await act(session, '/api/auth/mfa/enrol/passkey/confirm', { challenge: body.challenge, name: 'Laptop', response: key.register(options.body) });
      expect(done.status).toBe(200);
      expect(done.body.recovery_codes).toHaveLength(10);
      session.csrf = done.body.csrfToken;
      return { session, key };
    }

    /** Password, then the passkey options for that sign-in. */
    async function passkeyStep(creds: OperatorCredentials) {
      const { session, body } = await passwordStep(creds);
      expect(body.methods).toContain('passkey');
      const options = await act(session, '/api/auth/mfa/passkey/options', { challenge: body.challenge });
      expect(options.status).toBe(200);
      return { session, challenge: body.challenge, options: options.body as { challenge: string; rpId: string; userVerification: string } };
    }

    it('an admin enrols a passkey at first sign-in and signs in with it; the console sees its name, never its key', async () => {
      const creds = await createOperator(server(), 'admin');
      const { session, key } = await enrolAtSignIn(creds);
      const mine = await session.json('/api/auth/mfa');
      expect(mine.body).toMatchObject({ totp: false, required: true, recovery_codes_left: 10, passkeys: [{ id: expect.any(Number), name: 'Laptop' }] });
      expect(Object.keys(mine.body.passkeys[0]).sort()).toEqual(['created_at', 'id', 'last_used_at', 'name']);

      const step = await passkeyStep(creds);
      expect(step.options.userVerification).toBe('required');
      expect((await step.session.json('/api/auth/me')).status).toBe(401);
      const ok = await act(step.session, '/api/auth/mfa/verify', { challenge: step.challenge, passkey: key.assert(step.options) });
      expect(ok.status).toBe(200);
      step.session.csrf = ok.body.csrfToken;
      expect((await step.session.json('/api/auth/me')).body.email).toBe(creds.email);
      const [stored] = await rows<{ counter: string; used: boolean }>(server(), sql`select counter::text, last_used_at is not null as used from operator_passkeys where user_id = ${creds.id}`);
      expect(stored).toEqual({ counter: '1', used: true });
    });

    it('a replayed assertion, a re-used challenge and a cloned authenticator (old counter) are refused', async () => {
      const creds = await createOperator(server(), 'admin');
      const { key } = await enrolAtSignIn(creds);
      const first = await passkeyStep(creds);
      const assertion = key.assert(first.options);
      expect((await act(first.session, '/api/auth/mfa/verify', { challenge: first.challenge, passkey: assertion })).status).toBe(200);
      // The same assertion again: its sign-in step is used up.
      expect((await act(new Session(server().url), '/api/auth/mfa/verify', { challenge: first.challenge, passkey: assertion })).status).toBe(401);
      // ...and on a fresh sign-in it answers a challenge that is no longer the one asked.
      const second = await passkeyStep(creds);
      const replay = await act(second.session, '/api/auth/mfa/verify', { challenge: second.challenge, passkey: assertion });
      expect(replay.status).toBe(401);
      expect(replay.body.errors).toHaveProperty('passkey');
      // A WebAuthn challenge is answered once, right or wrong: the failed try spent it.
      const late = await act(second.session, '/api/auth/mfa/verify', { challenge: second.challenge, passkey: key.assert(second.options) });
      expect(late.status).toBe(401);
      expect(late.body.message).toMatch(/expired or was already used/);

      // A copy of the authenticator that is behind on its counter.
      const third = await passkeyStep(creds);
      expect((await act(third.session, '/api/auth/mfa/verify', { challenge: third.challenge, passkey: key.assert(third.options, { counter: 1 }) })).status).toBe(401);
      // Another origin's page relaying the ceremony.
      const fourth = await passkeyStep(creds);
      expect((await act(fourth.session, '/api/auth/mfa/verify', { challenge: fourth.challenge, passkey: key.assert(fourth.options, { origin: 'https://evil.example' }) })).status).toBe(401);
      const fifth = await passkeyStep(creds);
      expect((await act(fifth.session, '/api/auth/mfa/verify', { challenge: fifth.challenge, passkey: key.assert(fifth.options, { counter: 50 }) })).status).toBe(200);
    });

    it('an expired challenge is refused for sign-in and for enrolment; so is a passkey without user verification', async () => {
      const creds = await createOperator(server(), 'admin');
      const { session, key } = await enrolAtSignIn(creds);
      const step = await passkeyStep(creds);
      await server().ctx.database.db.execute(sql`update auth_challenges set expires_at = now() - interval '1 second' where user_id = ${creds.id}`);
      const expired = await act(step.session, '/api/auth/mfa/verify', { challenge: step.challenge, passkey: key.assert(step.options) });
      expect(expired.status).toBe(401);
      expect(expired.body.message).toMatch(/expired/);

      const other = new SoftAuthenticator(server().url);
      const options = await act(session, '/api/auth/mfa/passkeys/options');
      expect(options.status).toBe(200);
      await server().ctx.database.db.execute(sql`update auth_challenges set expires_at = now() - interval '1 second' where user_id = ${creds.id}`);
      expect((await act(session, '/api/auth/mfa/passkeys', { challenge: options.body.challenge, name: 'Phone', response: other.register(options.body.options) })).status).toBe(401);

      const unverified = await passkeyStep(creds);
      key.userVerified = false;
      expect((await act(unverified.session, '/api/auth/mfa/verify', { challenge: unverified.challenge, passkey: key.assert(unverified.options) })).status).toBe(401);
    });

    it('support adds a passkey from the console and removes it; an admin cannot remove the last factor the policy demands', async () => {
      const support = await createOperator(server(), 'support');
      const { session, body } = await passwordStep(support);
      session.csrf = body.csrfToken!;
      const key = new SoftAuthenticator(server().url);
      const options = await act(session, '/api/auth/mfa/passkeys/options');
      expect(options.body.options.excludeCredentials).toEqual([]);
      const added = await act(session, '/api/auth/mfa/passkeys', { challenge: options.body.challenge, name: 'Security key', response: key.register(options.body.options) });
      expect(added.status).toBe(201);
      expect(added.body.recovery_codes).toHaveLength(10);
      // The same registration answered twice.
      expect((await act(session, '/api/auth/mfa/passkeys', { challenge: options.body.challenge, name: 'Again', response: key.register(options.body.options) })).status).toBe(401);
      expect((await passwordStep(support)).body.methods).toEqual(['passkey', 'recovery_code']);
      expect((await session.json(`/api/auth/mfa/passkeys/${added.body.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await session.json(`/api/auth/mfa/passkeys/${added.body.id}`, { method: 'DELETE' })).status).toBe(404);
      expect((await passwordStep(support)).body.csrfToken).toBeDefined();

      const admin = await createOperator(server(), 'admin');
      const enrolled = await enrolAtSignIn(admin);
      const [{ id }] = (await enrolled.session.json('/api/auth/mfa')).body.passkeys;
      const refused = await enrolled.session.json(`/api/auth/mfa/passkeys/${id}`, { method: 'DELETE' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/keep a second factor/);
      // Someone else's passkey is not found, not removed.
      expect((await session.json(`/api/auth/mfa/passkeys/${id}`, { method: 'DELETE' })).status).toBe(404);
    });

    it('bad passkey input is a 400 naming the field, and no WebAuthn challenge or key reaches the audit log', async () => {
      const creds = await createOperator(server(), 'admin');
      const { key } = await enrolAtSignIn(creds);
      const step = await passkeyStep(creds);
      const good = key.assert(step.options);
      const hostile = await act(step.session, '/api/auth/mfa/verify', { challenge: step.challenge, passkey: { ...good, response: { ...good.response, signature: 'x\u0000y' } } });
      expect(hostile.status).toBe(400);
      expect(Object.keys(hostile.body.errors)[0]).toMatch(/^passkey/);
      expect((await act(step.session, '/api/auth/mfa/verify', { challenge: step.challenge, passkey: { ...good, type: 'password' } })).status).toBe(400);
      expect((await act(step.session, '/api/auth/mfa/verify', { challenge: step.challenge, passkey: good, code: '123456' })).status).toBe(400);
      const name = await act(step.session, '/api/auth/mfa/enrol/passkey/confirm', { challenge: step.challenge, name: 'x'.repeat(70_000), response: {} });
      expect(name.body.errors).toHaveProperty('name');

      const [{ public_key }] = await rows<{ public_key: string }>(server(), sql`select public_key from operator_passkeys where user_id = ${creds.id}`);
      const audit = await rows<{ row: string }>(server(), sql`select a::text as row from audit_log a where actor_id = ${creds.id}`);
      expect(audit.length).toBeGreaterThan(0);
      for (const { row } of audit) {
        expect(row).not.toContain(public_key);
        expect(row).not.toContain(step.options.challenge);
        expect(row).not.toContain(good.response.signature);
      }
    });
  },
  { config: { requireMfaFor: 'admin' } },
);
