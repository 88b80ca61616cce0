export type Role = 'admin' | 'support';

/** Actions the console checks beyond react-admin's own (list, show, edit, create, delete, export). */
export type DomainAction =
  | 'ban'
  | 'unban'
  | 'grant_credits'
  | 'award_badge'
  | 'refund'
  | 'approve'
  | 'pay'
  | 'rotate'
  | 'enable'
  | 'revoke'
  | 'fail_refund';

const READ_ACTIONS = new Set(['list', 'show', 'read', 'export']);
// Support staff look at everything and may ban or unban; every other write is an admin's.
const SUPPORT_WRITES = new Set(['users:ban', 'users:unban']);

/** The role matrix the server enforces, mirrored so the UI never offers what would be refused. */
export function canRole(role: string | undefined, action: string, resource: string): boolean {
  if (role === 'admin') return true;
  if (role !== 'support') return false;
  if (READ_ACTIONS.has(action)) return true;
  return SUPPORT_WRITES.has(`${resource}:${action}`);
}
