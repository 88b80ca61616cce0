import { fetchUtils } from 'react-admin';

export const API_URL = '/api';

const CSRF_COOKIE = 'opsroom_csrf';
let csrfToken: string | undefined;

/** Remembered from login / me; the cookie is the fallback after a reload. */
export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}

export function readCsrfToken(cookie = typeof document === 'undefined' ? '' : document.cookie): string | undefined {
  if (csrfToken) return csrfToken;
  const match = cookie.split(/;\s*/).find((part) => part.startsWith(`${CSRF_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(CSRF_COOKIE.length + 1)) : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * fetchJson with the session cookie and, on every state-changing request, the CSRF header the
 * server demands. Errors stay `HttpError`s whose `body` is the server's `{ message, errors }`, which
 * is what react-admin reads to put field errors under inputs.
 */
export function httpClient(url: string, options: fetchUtils.Options = {}) {
  const headers = new Headers(options.headers ?? { Accept: 'application/json' });
  const method = (options.method ?? 'GET').toUpperCase();
  if (!SAFE_METHODS.has(method)) {
    const token = readCsrfToken();
    if (token) headers.set('X-CSRF-Token', token);
  }
  return fetchUtils.fetchJson(url, { ...options, headers, credentials: 'same-origin' });
}
