import { ROLE_RANK, type OperatorRole, type UserRole } from './roles';

/**
 * Who may do what: the one permission matrix. The server's route guards and the console's
 * `canAccess` both read it, so the console never offers what the server would refuse.
 *
 * Every operator reads every resource; plain record writes (create, edit, delete) are admin-only;
 * each domain action names its role here.
 */
export const READ_ROLE: OperatorRole = 'support';
export const WRITE_ROLE: OperatorRole = 'admin';

export const ACTION_ROLES = {
  users: { grant_credits: 'admin', change_role: 'admin', ban: 'support', unban: 'support', award_badge: 'admin', note: 'support' },
  orders: { refund: 'admin' },
  // Marking a stuck generation failed refunds its credits.
  generations: { fail_refund: 'admin' },
  affiliates: { approve: 'admin', pay: 'admin' },
  ai_provider_keys: { rotate: 'admin', enable: 'admin', disable: 'admin', reencrypt: 'admin' },
  api_keys: { revoke: 'admin' },
  // Reverting an edit is held, on top, to the edited resource's own write role.
  audit_log: { revert: 'support' },
  stats: { read: 'support', refresh: 'admin' },
  // Only an admin decides; who may ask is whoever may run the action itself.
  approval_requests: { approve: 'admin', reject: 'admin' },
} as const satisfies Record<string, Record<string, OperatorRole>>;

export type ActionResource = keyof typeof ACTION_ROLES;
export type DomainAction = { [R in ActionResource]: keyof (typeof ACTION_ROLES)[R] }[ActionResource];

/** react-admin's own access checks that only read. */
export const READ_ACCESS = ['list', 'show', 'read', 'export'] as const;

export const hasRole = (role: string | undefined, needed: OperatorRole): boolean =>
  (ROLE_RANK[role as UserRole] ?? 0) >= ROLE_RANK[needed];

/** The role a console or API access check needs: a domain action's own, else read or write. */
export function requiredRole(action: string, resource: string): OperatorRole {
  const actions = ACTION_ROLES[resource as ActionResource] as Record<string, OperatorRole> | undefined;
  const own = actions && Object.hasOwn(actions, action) ? actions[action] : undefined;
  if (own) return own;
  return (READ_ACCESS as readonly string[]).includes(action) ? READ_ROLE : WRITE_ROLE;
}

/** May an account with `role` do `action` on `resource`? Members and unknown roles may do nothing. */
export const canRole = (role: string | undefined, action: string, resource: string): boolean =>
  role !== 'member' && hasRole(role, requiredRole(action, resource));
