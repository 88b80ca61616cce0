import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import type { OperatorSession as Operator } from '../../../contract';
import { API_URL, httpClient } from '../httpClient';

const post = (path: string, body?: unknown) => httpClient(`${API_URL}/auth/mfa${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });

// The browser half of WebAuthn loads only when an operator reaches for a passkey.
const webauthn = () => import('@simplewebauthn/browser');

const cancelled = (err: unknown) => {
  const e = err as { name?: string; message?: string };
  return e?.name === 'NotAllowedError' || e?.name === 'AbortError' ? new Error('The passkey prompt was closed or timed out. Try again.') : err;
};

/** The browser's answer to the passkey challenge of a pending sign-in. */
export async function answerPasskey(challenge: string): Promise<unknown> {
  const { json: optionsJSON } = await post('/passkey/options', { challenge });
  const { startAuthentication } = await webauthn();
  try {
    return await startAuthentication({ optionsJSON });
  } catch (err) {
    throw cancelled(err);
  }
}

/**
 * Creates a passkey: during a sign-in that must enrol (`challenge` given, ends with a session) or
 * for the signed-in operator (from the sign-in security dialog).
 */
export async function createPasskey(opts: { challenge: string; name?: string }): Promise<Operator & { recovery_codes: string[] }>;
export async function createPasskey(opts: { name: string }): Promise<{ id: number; name: string; recovery_codes?: string[] }>;
export async function createPasskey({ challenge, name = 'Passkey' }: { challenge?: string; name?: string }) {
  const { startRegistration } = await webauthn();
  const register = async (optionsJSON: PublicKeyCredentialCreationOptionsJSON) => {
    try {
      return await startRegistration({ optionsJSON });
    } catch (err) {
      throw cancelled(err);
    }
  };
  if (challenge) {
    const { json } = await post('/enrol/passkey/options', { challenge });
    return (await post('/enrol/passkey/confirm', { challenge, name, response: await register(json) })).json;
  }
  const { json } = await post('/passkeys/options');
  return (await post('/passkeys', { challenge: json.challenge, name, response: await register(json.options) })).json;
}
