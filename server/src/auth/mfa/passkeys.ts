import type { AuthenticationResponseJSON, AuthenticatorTransport, RegistrationResponseJSON } from '@simplewebauthn/server';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../context';
import type { Db, Tx } from '../../db/client';
import { authChallenges, operatorPasskeys, type AuthChallenge } from '../../db/schema';
import { ConflictError, NotFoundError, UnauthenticatedError } from '../../usecases/domainErrors';
import { challengeGone } from './challenges';

const RP_NAME = 'opsroom';

/**
 * The WebAuthn library (with its X.509 and ASN.1 stack) is loaded by the first passkey request:
 * at the top it cost every start ~0.25 s of CPU, whether or not anyone uses a passkey.
 */
const webauthn = () => import('@simplewebauthn/server');

// The browser's JSON as @simplewebauthn/browser sends it: bounded strings, nothing else. The
// library checks the contents; this keeps hostile shapes at a 400 before it runs.
const b64 = z.string().max(16_384).regex(/^[A-Za-z0-9_-]*={0,2}$/, 'Not base64url');
const clientExtensionResults = z.record(z.string(), z.unknown()).default({});
export const registrationResponse = z.object({
  id: b64.min(1),
  rawId: b64.min(1),
  type: z.literal('public-key'),
  response: z.object({ clientDataJSON: b64, attestationObject: b64, transports: z.array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'])).max(10).optional() }).passthrough(),
  clientExtensionResults,
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});
export const authenticationResponse = z.object({
  id: b64.min(1),
  rawId: b64.min(1),
  type: z.literal('public-key'),
  response: z.object({ clientDataJSON: b64, authenticatorData: b64, signature: b64, userHandle: b64.optional() }).passthrough(),
  clientExtensionResults,
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});
export const passkeyName = z.string({ error: 'Name this passkey' }).trim().min(1, 'Name this passkey').max(100, 'Use at most 100 characters').regex(/^[^\p{Cc}]*$/u, 'Use printable characters');

/**
 * Who the passkeys belong to: the configured origin(s) and RP id, else `origin`, the one the request
 * arrived on (http/security.ts requestOrigin). Either way the browser's clientData must name the
 * same origin, so a page elsewhere cannot relay an assertion.
 */
export function relyingParty(ctx: AppContext, origin: string): { rpID: string; origins: string[] } {
  const configured = ctx.config.webauthn;
  if (configured?.origins?.length) return { rpID: configured.rpId ?? new URL(configured.origins[0]!).hostname, origins: configured.origins };
  return { rpID: new URL(origin).hostname, origins: [origin] };
}

export async function passkeysOf(db: Db | Tx, userId: number) {
  return db.select().from(operatorPasskeys).where(eq(operatorPasskeys.userId, userId)).orderBy(operatorPasskeys.id);
}

/** Removes one of the operator's own passkeys (another operator's id matches nothing). */
export async function removePasskey(db: Db | Tx, userId: number, passkeyId: number) {
  await db.delete(operatorPasskeys).where(and(eq(operatorPasskeys.id, passkeyId), eq(operatorPasskeys.userId, userId)));
}

/** What the console may see of a passkey: never the public key or the counter. */
export const publicPasskey = (p: { id: number; name: string; createdAt: Date; lastUsedAt: Date | null }) => ({ id: p.id, name: p.name, created_at: p.createdAt, last_used_at: p.lastUsedAt });

/**
 * Arms a sign-in step with a fresh WebAuthn challenge (replacing any earlier one); the step's
 * row is the challenge's only home, so it expires with the step.
 */
async function armStep(db: Db | Tx, step: AuthChallenge, webauthnChallenge: string) {
  await db
    .update(authChallenges)
    .set({ data: sql`${authChallenges.data} || ${JSON.stringify({ webauthn: webauthnChallenge })}::jsonb` })
    .where(eq(authChallenges.id, step.id));
}

/**
 * Takes the armed WebAuthn challenge out of the step in one conditional update, before the
 * response is checked: whatever the outcome, that challenge cannot be answered twice.
 */
async function takeArmedChallenge(db: Db | Tx, step: AuthChallenge): Promise<string> {
  const armed = step.data.webauthn;
  if (!armed) throw challengeGone();
  const taken = await db
    .update(authChallenges)
    .set({ data: sql`${authChallenges.data} - 'webauthn'` })
    .where(and(eq(authChallenges.id, step.id), sql`${authChallenges.data} ->> 'webauthn' = ${armed}`, sql`${authChallenges.expiresAt} > now()`))
    .returning({ id: authChallenges.id });
  if (!taken.length) throw challengeGone();
  return armed;
}

export const passkeyRefused = () => new UnauthenticatedError('That passkey was not accepted. Try again, or use another factor.', { passkey: 'Not accepted' });

/** Options for creating a passkey, with the challenge kept in `step` (a sign-in or console enrolment row). */
export async function registrationOptions(ctx: AppContext, origin: string, user: { id: number; email: string; name?: string | null }, step: AuthChallenge) {
  const { db } = ctx.database;
  const { rpID } = relyingParty(ctx, origin);
  const [existing, { generateRegistrationOptions }] = await Promise.all([passkeysOf(db, user.id), webauthn()]);
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID,
    userName: user.email,
    userDisplayName: user.name || user.email,
    userID: new TextEncoder().encode(`opsroom:${user.id}`),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
  });
  await armStep(db, step, options.challenge);
  return options;
}

/** Checks a new passkey against the armed challenge and stores it; returns its console view. */
export async function finishRegistration(ctx: AppContext, origin: string, userId: number, step: AuthChallenge, response: RegistrationResponseJSON, name: string) {
  const { db } = ctx.database;
  const { verifyRegistrationResponse } = await webauthn();
  const expectedChallenge = await takeArmedChallenge(db, step);
  const { rpID, origins } = relyingParty(ctx, origin);
  let verified;
  try {
    verified = await verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: origins, expectedRPID: rpID, requireUserVerification: true });
  } catch {
    // The library's message quotes the challenges: it goes neither to the client nor to the log.
    throw passkeyRefused();
  }
  if (!verified.verified || !verified.registrationInfo) throw passkeyRefused();
  const { credential } = verified.registrationInfo;
  const [row] = await db
    .insert(operatorPasskeys)
    .values({ userId, credentialId: credential.id, publicKey: Buffer.from(credential.publicKey).toString('base64url'), counter: credential.counter, transports: credential.transports ?? [], name })
    .onConflictDoNothing({ target: operatorPasskeys.credentialId })
    .returning();
  if (!row) throw new ConflictError('This passkey is already registered.', { passkey: 'Already registered' });
  return row;
}

/** Options for signing in with one of the operator's passkeys; the challenge is kept in the sign-in step. */
export async function authenticationOptions(ctx: AppContext, origin: string, userId: number, step: AuthChallenge) {
  const { db } = ctx.database;
  const keys = await passkeysOf(db, userId);
  if (!keys.length) throw new NotFoundError('This account has no passkey. Use another factor.');
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID: relyingParty(ctx, origin).rpID,
    allowCredentials: keys.map((p) => ({ id: p.credentialId, transports: p.transports as AuthenticatorTransport[] })),
    userVerification: 'required',
  });
  await armStep(db, step, options.challenge);
  return options;
}

/**
 * Checks an assertion against the armed challenge and the stored credential. The signature
 * counter must move forward (a cloned authenticator shows an old one), and the new value is
 * written only over the value that was read, so two racing assertions cannot both pass.
 */
export async function verifyPasskeyAssertion(ctx: AppContext, origin: string, userId: number, step: AuthChallenge, response: AuthenticationResponseJSON): Promise<boolean> {
  const { db } = ctx.database;
  const { verifyAuthenticationResponse } = await webauthn();
  const expectedChallenge = await takeArmedChallenge(db, step);
  const [key] = await db
    .select()
    .from(operatorPasskeys)
    .where(and(eq(operatorPasskeys.userId, userId), eq(operatorPasskeys.credentialId, response.id)));
  if (!key) return false;
  const { rpID, origins } = relyingParty(ctx, origin);
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origins,
      expectedRPID: rpID,
      requireUserVerification: true,
      credential: { id: key.credentialId, publicKey: Buffer.from(key.publicKey, 'base64url'), counter: key.counter, transports: key.transports as AuthenticatorTransport[] },
    });
    if (!result.verified) return false;
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    return false;
  }
  const moved = await db
    .update(operatorPasskeys)
    .set({ counter: newCounter, lastUsedAt: new Date() })
    .where(and(eq(operatorPasskeys.id, key.id), eq(operatorPasskeys.counter, key.counter)))
    .returning({ id: operatorPasskeys.id });
  return moved.length === 1;
}
