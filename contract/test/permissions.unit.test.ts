import type { Router } from 'express';
import { describe, expect, test } from 'vitest';
import { approvalsRouter } from '../../server/src/http/approvals';
import { consoleRouter } from '../../server/src/console/routes';
import { actionsRouter } from '../../server/src/http/actions';
import type { AppContext } from '../../server/src/context';
import { statsRouter } from '../../server/src/stats';
import { ACTION_ROLES, canRole, OPERATOR_ROLES, requiredRole, USER_ROLES } from '..';

type Layer = { route?: { path: string; stack: { handle: { requiredRole?: string } }[] } };

/** `POST /users/:id/ban` → the role its guard declares, read off the Express router itself. */
function declaredRoles(router: Router): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const layer of router.stack as unknown as Layer[]) {
    if (!layer.route) continue;
    out.set(layer.route.path, layer.route.stack.map((l) => l.handle.requiredRole).find(Boolean));
  }
  return out;
}

describe('the permission matrix', () => {
  test('support reads everything and may ban or unban; every other write is an admin’s', () => {
    expect(canRole('support', 'list', 'orders')).toBe(true);
    expect(canRole('support', 'export', 'users')).toBe(true);
    expect(canRole('support', 'ban', 'users')).toBe(true);
    expect(canRole('support', 'unban', 'users')).toBe(true);
    for (const action of ['edit', 'create', 'delete', 'refund', 'grant_credits', 'award_badge', 'rotate', 'revoke', 'approve', 'pay']) {
      expect(canRole('support', action, 'users'), action).toBe(false);
    }
    expect(canRole('support', 'read', 'stats')).toBe(true);
    expect(canRole('support', 'refresh', 'stats')).toBe(false);
  });

  test('admin may do everything; members, unknown roles and no role nothing', () => {
    expect(canRole('admin', 'delete', 'posts')).toBe(true);
    expect(canRole('admin', 'refresh', 'stats')).toBe(true);
    for (const role of ['member', 'owner', '', undefined]) expect(canRole(role, 'list', 'users'), String(role)).toBe(false);
  });

  test('an inherited property name is not an action', () => {
    expect(requiredRole('constructor', 'users')).toBe('admin');
    expect(requiredRole('toString', 'nothing')).toBe('admin');
  });

  test('operator roles are user roles', () => {
    for (const role of OPERATOR_ROLES) expect(USER_ROLES).toContain(role);
  });

  test('every domain route guards with the role the matrix gives its action', () => {
    const ctx = {} as AppContext;
    const actions = declaredRoles(actionsRouter(ctx));
    const stats = declaredRoles(statsRouter(ctx));
    const expected: Record<string, string> = {
      '/users/:id/credits': ACTION_ROLES.users.grant_credits,
      '/users/:id/role': ACTION_ROLES.users.change_role,
      '/users/:id/ban': ACTION_ROLES.users.ban,
      '/users/:id/unban': ACTION_ROLES.users.unban,
      '/users/:id/badges': ACTION_ROLES.users.award_badge,
      // Re-running feats awards badges: it is the award_badge permission.
      '/users/:id/feats': ACTION_ROLES.users.award_badge,
      '/orders/:id/refund': ACTION_ROLES.orders.refund,
      '/affiliates/approve': ACTION_ROLES.affiliates.approve,
      '/affiliates/pay': ACTION_ROLES.affiliates.pay,
      '/affiliates/:id/approve': ACTION_ROLES.affiliates.approve,
      '/affiliates/:id/pay': ACTION_ROLES.affiliates.pay,
      '/ai_provider_keys/reencrypt': ACTION_ROLES.ai_provider_keys.reencrypt,
      '/ai_provider_keys/:id/rotate': ACTION_ROLES.ai_provider_keys.rotate,
      '/ai_provider_keys/:id/enable': ACTION_ROLES.ai_provider_keys.enable,
      '/ai_provider_keys/:id/disable': ACTION_ROLES.ai_provider_keys.disable,
      '/api_keys/:id/revoke': ACTION_ROLES.api_keys.revoke,
    };
    expect(Object.fromEntries(actions)).toEqual(expected);
    // Mounted inside the actions router: an admin decides.
    expect(Object.fromEntries(declaredRoles(approvalsRouter(ctx as never)))).toEqual({
      '/approval_requests/:id/approve': ACTION_ROLES.approval_requests.approve,
      '/approval_requests/:id/reject': ACTION_ROLES.approval_requests.reject,
    });
    expect(Object.fromEntries(stats)).toEqual({ '/stats': ACTION_ROLES.stats.read, '/stats/refresh': ACTION_ROLES.stats.refresh });
    const console = declaredRoles(consoleRouter({ database: {} } as AppContext));
    expect(console.get('/generations/fail')).toBe(ACTION_ROLES.generations.fail_refund);
    expect(console.get('/generations/:id/fail')).toBe(ACTION_ROLES.generations.fail_refund);
  });
});
