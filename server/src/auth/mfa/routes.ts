import { Router, type Request } from 'express';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { writeAudit, type AuditActor } from '../../ops/writeAudit';
import type { AppContext } from '../../context';
import { users } from '../../db/schema';
import { HttpError } from '../../http/errors';
import { parseBody } from '../../http/parseBody';
import { actorOf, operatorOf } from '../../http/request';
import { issueSession } from '../issueSession';
import { requireOperator } from '../middleware';
import { beginLoginAttempt, loginSucceeded, LOGIN_WINDOW_MS } from '../rateLimit';
import { consumeChallenge, findChallenge } from './challenges';
import { mfaRequired } from './secondFactorStep';
import { checkTotp, hasConfirmedTotp, issueRecoveryCodes, recoveryCodesLeft, startTotpEnrolment, useRecoveryCode } from './totp';

const challenge = z.string({ error: 'Sign in again' }).min(20, 'Sign in again').max(200, 'Sign in again');
const code = z.string({ error: 'Enter the 6-digit code' }).trim().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app');
const verifyBody = z
  .strictObject({ challenge, code: code.optional(), recovery_code: z.string().trim().min(8, 'Enter a recovery code').max(40, 'Enter a recovery code').optional() })
  .refine((b) => (b.code === undefined) !== (b.recovery_code === undefined), { message: 'Enter either the 6-digit code or a recovery code', path: ['code'] });
const challengeBody = z.strictObject({ challenge });
const confirmBody = z.strictObject({ challenge, code });
const sessionConfirmBody = z.strictObject({ code });

/**
 * Second-factor routes under /api/auth/mfa. `verify` and `enrol/*` finish a password sign-in and
 * carry the sign-in's challenge token instead of a session; `totp/*` and `GET /` are for a
 * signed-in operator (console enrolment) and pass through requireOperator like any API route.
 */
export function mfaRoutes(ctx: AppContext) {
  const router = Router();
  const { db } = ctx.database;

  const userOf = async (userId: number | null) => {
    const [user] = userId ? await db.select().from(users).where(eq(users.id, userId)) : [];
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
    const ok = body.code !== undefined ? await checkTotp(db, ctx.keyRing, user, body.code, { confirmed: true }) : await useRecoveryCode(db, user.id, body.recovery_code!);
    if (!ok) throw wrongCode(body.code !== undefined ? 'code' : 'recovery_code');
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

  const signedIn = requireOperator(ctx);

  router.get('/', signedIn, async (req, res) => {
    const op = operatorOf(req);
    res.json({ totp: await hasConfirmedTotp(db, op.id), recovery_codes_left: await recoveryCodesLeft(db, op.id), required: mfaRequired(ctx, op.role) });
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
