import { describe, expect, test } from 'vitest';
import { changedFields, createDataProvider } from '../src/dataProvider';
import { readCsrfToken, setCsrfToken } from '../src/httpClient';
import { canRole } from '../../contract';

type Call = { url: string; method: string; body?: unknown };

/** A data provider over a recording HTTP client: what the console would send, without a server. */
function recording(reply: unknown = []) {
  const calls: Call[] = [];
  const http = async (url: string, options: { method?: string; body?: unknown } = {}) => {
    calls.push({ url: decodeURIComponent(url), method: options.method ?? 'GET', body: options.body ? JSON.parse(String(options.body)) : undefined });
    return { status: 200, headers: new Headers(), body: JSON.stringify(reply), json: reply };
  };
  return { calls, provider: createDataProvider('/api', http as never) };
}

describe('the console data provider', () => {
  test('bulk updates and deletes are one request filtered by id', async () => {
    const { calls, provider } = recording([3, 4]);
    await expect(provider.updateMany('posts', { ids: [3, 4], data: { status: 'published' } })).resolves.toEqual({ data: [3, 4] });
    await expect(provider.deleteMany('posts', { ids: [3, 4] })).resolves.toEqual({ data: [3, 4] });
    expect(calls).toEqual([
      { url: '/api/posts?filter={"id":[3,4]}', method: 'PUT', body: { status: 'published' } },
      { url: '/api/posts?filter={"id":[3,4]}', method: 'DELETE', body: undefined },
    ]);
  });

  test('an edit sends only the changed fields and the updated_at it loaded', () => {
    const previous = { id: 1, name: 'Ada', email: 'a@x.test', updated_at: '2026-01-01T00:00:00.000Z', created_at: 'x' };
    expect(changedFields({ ...previous, name: 'Grace' }, previous)).toEqual({ name: 'Grace', updated_at: previous.updated_at });
  });

  test('domain actions post to their routes', async () => {
    const { calls, provider } = recording({ data: [7] });
    await provider.grantCredits(5, { amount: -10, reason: 'chargeback' });
    await provider.ban(5, { reason: 'spam', expires_at: null });
    await provider.refund(9, { reason: 'duplicate' });
    await provider.setKeyEnabled(2, false);
    await provider.approveCommission([7]);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/users/5/credits',
      'POST /api/users/5/ban',
      'POST /api/orders/9/refund',
      'POST /api/ai_provider_keys/2/disable',
      'POST /api/affiliates/approve',
    ]);
    expect(calls[4]!.body).toEqual({ ids: [7] });
  });

  test('the CSRF token comes from login, else from its cookie', () => {
    setCsrfToken(undefined);
    expect(readCsrfToken('theme=dark; opsroom_csrf=abc%3D')).toBe('abc=');
    setCsrfToken('from-login');
    expect(readCsrfToken('opsroom_csrf=abc')).toBe('from-login');
    setCsrfToken(undefined);
  });
});

describe('the role matrix', () => {
  test('support reads everything and may only ban or unban', () => {
    expect(canRole('support', 'list', 'orders')).toBe(true);
    expect(canRole('support', 'export', 'users')).toBe(true);
    expect(canRole('support', 'ban', 'users')).toBe(true);
    expect(canRole('support', 'edit', 'users')).toBe(false);
    expect(canRole('support', 'delete', 'posts')).toBe(false);
    expect(canRole('support', 'refund', 'orders')).toBe(false);
    expect(canRole('support', 'grant_credits', 'users')).toBe(false);
  });

  test('admin may do everything; anyone else nothing', () => {
    expect(canRole('admin', 'delete', 'posts')).toBe(true);
    expect(canRole('member', 'list', 'users')).toBe(false);
    expect(canRole(undefined, 'list', 'users')).toBe(false);
  });
});
