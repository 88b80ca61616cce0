import type { OperatorSession as Operator } from '../../../contract';
import { API_URL, httpClient } from '../httpClient';
import { setPendingStep } from './pendingStep';

export type SecondFactorParams = { challenge?: string; code?: string; recovery_code?: string; passkey?: unknown; operator?: Operator };

/**
 * The second half of a sign-in, through the authProvider's login so react-admin redirects as
 * usual: a code or a passkey's answer for the pending challenge, or the session an enrolment already opened. Undefined
 * for a plain password login.
 */
export async function secondFactorLogin(params: SecondFactorParams): Promise<Operator | undefined> {
  if (params.operator) {
    setPendingStep(undefined);
    return params.operator;
  }
  if (!params.challenge) return undefined;
  const { challenge, code, recovery_code, passkey } = params;
  const { json } = await httpClient(`${API_URL}/auth/mfa/verify`, { method: 'POST', body: JSON.stringify({ challenge, code, recovery_code, passkey }) });
  setPendingStep(undefined);
  return json as Operator;
}
