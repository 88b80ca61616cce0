import { Router, type Request } from 'express';
import { z } from 'zod';
import { writeAudit, type AuditActor } from '../../ops/writeAudit';
import type { AppContext } from '../../context';
import { conflict, HttpError, notFound } from '../../http/errors';
import { parseBody } from '../../http/parseBody';
import { actorOf, operatorOf } from '../../http/request';
import { requestOrigin } from '../../http/security';
import { issueSession } from '../issueSession';
import { requireOperator } from '../middleware';
import { findAccount } from '../operators';
import { beginLoginAttempt, loginSucceeded, LOGIN_WINDOW_MS } from '../rateLimit';
import { consumeChallenge, createChallenge, findChallenge } from './challenges';
import { verifyPasskeyAssertion, removePasskey, authenticationOptions, authenticationResponse, finishRegistration, passkeyName, passkeyRefused, passkeysOf, publicPasskey, registrationOptions, registrationResponse } from './passkeys';
import { mfaRequired } from './secondFactorStep';
import { checkTotp, hasConfirmedTotp, issueRecoveryCodes, recoveryCodesLeft, startTotpEnrolment, useRecoveryCode } from './totp';

const challenge = z.string({ error: 'Sign in again' }).min(20, 'Sign in again').max(200, 'Sign in again');
const code = z.string({ error: 'Enter the 6-digit code' }).trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app');
const verifyBody = z
  .strictObject({
    challenge,
    code: code.optional(),
    recovery_code: z.string().trim().min(8, 'Enter a recovery code').max(40, 'Enter a recovery code').optional(),
    passkey: authenticationResponse.optional(),
  })
  .refine((b) => [b.code, b.recovery_code, b.passkey].filter((f) => f !== undefined).length === 1, {
    message: 'Use one of your passkey, the 6-digit code or a recovery code',
    path: ['code'],
  });
const challengeBody = z.strictObject({ challenge });
const confirmBody = z.strictObject({ challenge, code });
const sessionConfirmBody = z.strictObject({ code });
const passkeyEnrolBody = z.strictObject({ challenge, name: passkeyName, response: registrationResponse });

/**
 * Second-factor routes under /api/auth/mfa. `verify` and `enrol/*` finish a password sign-in and
 * carry the sign-in's challenge token instead of a session; `totp/*` and `GET /` are for a
 * signed-in operator (console enrolment) and pass through requireOperator like any API route.
 */
export function mfaRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx.database;

  const userOf = async (userId: number | null) => {
    const user = userId ? await findAccount(db, { id: userId }) : undefined;
    if (!user || user.banned || user.role === 'member') throw new HttpError(403, 'This account has no console access.');
    return user;
  };
  const actorFor = (req: Request, user: { id: number; email: string }): AuditActor => ({ actorId: user.id, actorEmail: user.email, ip: req.ip ?? null, requestId: req.id });

  /** Wrong codes share the login throttle, keyed apart from passwords: 5 per account and address per window, slowed beyond. */
  const throttle = async (req: Request, email: string) => {
    const attempt = await beginLoginAttempt(db, `mfa:${email}`, req.ip ?? 'unknown');
    if (attempt === undefined) throw new HttpError(429, 'Too many wrong codes. Wait 15 minutes and try again.', undefined, { 'Retry-After': String(LOGIN_WINDOW_MS / 1000) });
    if (attempt.delayMs) await new Promise((resolve) => setTimeout(resolve, attempt.delayMs));
    return attempt.id;
  };
  const wrongCode = (field: string) => new HttpError(401, 'That code is not right. Try the current one.', { [field]: 'Wrong or already used code' });

  router.post('/verify', async (req, res) => {
    const body = parseBody(verifyBody, req.body);
    const step = await findChallenge(db, body.challenge, 'mfa');
    const user = await userOf(step.userId);
    const attempt = await throttle(req, user.email);
    const ok =
      body.passkey !== undefined
        ? await verifyPasskeyAssertion(ctx, requestOrigin(req), user.id, step, body.passkey)
        : body.code !== undefined
          ? await checkTotp(db, ctx.keyRing, user, body.code, { confirmed: true })
          : await useRecoveryCode(db, user.id, body.recovery_code!);
    if (!ok) throw body.passkey !== undefined ? passkeyRefused() : wrongCode(body.code !== undefined ? 'code' : 'recovery_code');
    await loginSucceeded(db, attempt);
    await consumeChallenge(db, step);
    if (body.recovery_code !== undefined) {
      await writeAudit(db, actorFor(req, user), { action: 'mfa_recovery_code_used', resource: 'auth', recordId: user.id, after: { recovery_codes_left: await recoveryCodesLeft(db, user.id) } });
    }
    res.json(await issueSession(ctx, req, res, user));
  });

  router.post('/enrol/setup', async (req, res) => {
    const body = parseBody(challengeBody, req.body);
    const user = await userOf((await findChallenge(db, body.challenge, 'mfa_enrol')).userId);
    res.json(await startTotpEnrolment(db, ctx.keyRing, user));
  });

  router.post('/enrol/confirm', async (req, res) => {
    const body = parseBody(confirmBody, req.body);
    const step = await findChallenge(db, body.challenge, 'mfa_enrol');
    const user = await userOf(step.userId);
    const attempt = await throttle(req, user.email);
    if (!(await checkTotp(db, ctx.keyRing, user, body.code, { confirmed: false }))) throw wrongCode('code');
    await loginSucceeded(db, attempt);
    await consumeChallenge(db, step);
    const recovery_codes = await issueRecoveryCodes(db, user.id);
    await writeAudit(db, actorFor(req, user), { action: 'mfa_enrol', resource: 'auth', recordId: user.id, after: { method: 'totp' } });
    res.json({ ...(await issueSession(ctx, req, res, user)), recovery_codes });
  });

  /** A passkey instead of a code: options for the pending sign-in, whose challenge they are bound to. */
  router.post('/passkey/options', async (req, res) => {
    const body = parseBody(challengeBody, req.body);
    const step = await findChallenge(db, body.challenge, 'mfa');
    const user = await userOf(step.userId);
    res.json(await authenticationOptions(ctx, requestOrigin(req), user.id, step));
  });

  router.post('/enrol/passkey/options', async (req, res) => {
    const body = parseBody(challengeBody, req.body);
    const step = await findChallenge(db, body.challenge, 'mfa_enrol');
    const user = await userOf(step.userId);
    res.json(await registrationOptions(ctx, requestOrigin(req), user, step));
  });

  router.post('/enrol/passkey/confirm', async (req, res) => {
    const body = parseBody(passkeyEnrolBody, req.body);
    const step = await findChallenge(db, body.challenge, 'mfa_enrol');
    const user = await userOf(step.userId);
    const passkey = await finishRegistration(ctx, requestOrigin(req), user.id, step, body.response, body.name);
    await consumeChallenge(db, step);
    const recovery_codes = await issueRecoveryCodes(db, user.id);
    await writeAudit(db, actorFor(req, user), { action: 'mfa_enrol', resource: 'auth', recordId: user.id, after: { method: 'passkey', passkey_id: passkey.id, name: passkey.name } });
    res.json({ ...(await issueSession(ctx, req, res, user)), recovery_codes });
  });

  const signedIn = requireOperator(ctx);

  router.get('/', signedIn, async (req, res) => {
    const op = operatorOf(req);
    res.json({
      totp: await hasConfirmedTotp(db, op.id),
      passkeys: (await passkeysOf(db, op.id)).map(publicPasskey),
      recovery_codes_left: await recoveryCodesLeft(db, op.id),
      required: mfaRequired(ctx, op.role),
    });
  });

  /** Console enrolment of a passkey: options bound to a short-lived registration challenge. */
  router.post('/passkeys/options', signedIn, async (req, res) => {
    if (req.body && Object.keys(req.body).length) parseBody(z.strictObject({}), req.body);
    const op = operatorOf(req);
    const token = await createChallenge(db, 'webauthn_register', op.id);
    const step = await findChallenge(db, token, 'webauthn_register');
    res.json({ challenge: token, options: await registrationOptions(ctx, requestOrigin(req), op, step) });
  });

  router.post('/passkeys', signedIn, async (req, res) => {
    const body = parseBody(passkeyEnrolBody, req.body);
    const op = operatorOf(req);
    const step = await findChallenge(db, body.challenge, 'webauthn_register');
    if (step.userId !== op.id) throw new HttpError(401, 'This sign-in step has expired or was already used. Sign in again.');
    const firstFactor = !(await hasConfirmedTotp(db, op.id)) && !(await passkeysOf(db, op.id)).length;
    const passkey = await finishRegistration(ctx, requestOrigin(req), op.id, step, body.response, body.name);
    await consumeChallenge(db, step);
    // The first factor comes with recovery codes, as an authenticator app does.
    const recovery_codes = firstFactor ? await issueRecoveryCodes(db, op.id) : undefined;
    await writeAudit(db, actorOf(req), { action: 'mfa_enrol', resource: 'auth', recordId: op.id, after: { method: 'passkey', passkey_id: passkey.id, name: passkey.name } });
    res.status(201).json({ ...publicPasskey(passkey), recovery_codes });
  });

  router.delete('/passkeys/:id', signedIn, async (req, res) => {
    const op = operatorOf(req);
    const id = Number(req.params.id);
    const keys = await passkeysOf(db, op.id);
    const key = Number.isSafeInteger(id) ? keys.find((k) => k.id === id) : undefined;
    if (!key) throw notFound('No such passkey on your account.');
    if (keys.length === 1 && !(await hasConfirmedTotp(db, op.id)) && mfaRequired(ctx, op.role)) {
      throw conflict('Your account must keep a second factor: add another passkey or an authenticator app before removing this one.');
    }
    await removePasskey(db, op.id, key.id);
    await writeAudit(db, actorOf(req), { action: 'mfa_passkey_removed', resource: 'auth', recordId: op.id, before: { passkey_id: key.id, name: key.name } });
    res.status(204).end();
  });

  router.post('/totp/setup', signedIn, async (req, res) => {
    if (req.body && Object.keys(req.body).length) parseBody(z.strictObject({}), req.body);
    res.json(await startTotpEnrolment(db, ctx.keyRing, operatorOf(req)));
  });

  router.post('/totp/confirm', signedIn, async (req, res) => {
    const body = parseBody(sessionConfirmBody, req.body);
    const op = operatorOf(req);
    const attempt = await throttle(req, op.email);
    if (!(await checkTotp(db, ctx.keyRing, op, body.code, { confirmed: false }))) throw wrongCode('code');
    await loginSucceeded(db, attempt);
    const recovery_codes = await issueRecoveryCodes(db, op.id);
    await writeAudit(db, actorOf(req), { action: 'mfa_enrol', resource: 'auth', recordId: op.id, after: { method: 'totp' } });
    res.json({ recovery_codes });
  });

  return router;
}
