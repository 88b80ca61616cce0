import { HttpError, type AuthProvider, type UserIdentity } from 'react-admin';
import { API_URL, httpClient, setCsrfToken } from './httpClient';
import { canRole, type OperatorSession as Operator } from '../../contract';
import { isPendingStep, setPendingStep } from './mfa/pendingStep';
import { secondFactorLogin, type SecondFactorParams } from './mfa/secondFactorLogin';

export const FORBIDDEN_MESSAGE = "You don't have permission to do that.";

// One `/auth/me` round trip serves checkAuth, getIdentity, getPermissions and every canAccess call.
let current: Promise<Operator> | undefined;

function me(): Promise<Operator> {
  current ??= httpClient(`${API_URL}/auth/me`).then(
    ({ json }) => {
      setCsrfToken(json.csrfToken);
      return json as Operator;
    },
    (err) => {
      current = undefined;
      throw err;
    },
  );
  return current;
}

function forget() {
  current = undefined;
  setCsrfToken(undefined);
}

export const authProvider: AuthProvider = {
  async login(params: { username?: string; email?: string; password?: string } & SecondFactorParams) {
    forget();
    const second = await secondFactorLogin(params);
    if (second) {
      setCsrfToken(second.csrfToken);
      current = Promise.resolve(second);
      return;
    }
    const { username, email, password } = params;
    try {
      const { json } = await httpClient(`${API_URL}/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ email: email ?? username, password }),
      });
      // A right password that still needs its second factor: stay on the login page for it.
      if (isPendingStep(json)) {
        setPendingStep(json);
        return { redirectTo: '/login' };
      }
      setCsrfToken(json.csrfToken);
      current = Promise.resolve(json as Operator);
    } catch (err) {
      const status = (err as HttpError).status;
      if (status === 403) throw new Error('This account has no console access.');
      if (status === 429) throw new Error('Too many attempts. Wait a minute and try again.');
      throw new Error((err as Error).message || 'Sign-in failed.');
    }
  },
  async logout() {
    const hadSession = current !== undefined;
    forget();
    // After a 401 the session is already gone; asking the server again would only 401 once more.
    if (hadSession) await httpClient(`${API_URL}/auth/logout`, { method: 'POST' }).catch(() => undefined);
  },
  async checkAuth() {
    await me();
  },
  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      forget();
      throw new Error('Your session has ended. Please sign in again.');
    }
    // Stay signed in on 403: the operator just lacks the role for that one request.
    if (error?.status === 403) throw { logoutUser: false, message: FORBIDDEN_MESSAGE };
  },
  async getIdentity(): Promise<UserIdentity> {
    const op = await me();
    return { id: op.id, fullName: op.name || op.email, email: op.email, role: op.role };
  },
  async getPermissions() {
    return (await me()).role;
  },
  async canAccess({ action, resource }) {
    const op = await me().catch(() => undefined);
    return canRole(op?.role, action, resource);
  },
};
