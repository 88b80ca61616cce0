import { isPendingApproval, type PendingApproval } from '../../../contract';

/** The 202 of an action held for a second admin, whichever way a data provider method passed it on. */
export function pendingApprovalOf(result: unknown): PendingApproval | undefined {
  if (isPendingApproval(result)) return result;
  const data = (result as { data?: unknown } | undefined)?.data;
  return isPendingApproval(data) ? data : undefined;
}

/** A pending request past its expiry is shown as expired even before the server has marked it. */
export const effectiveStatus = (r: { status: string; expires_at: string }, now = Date.now()) =>
  r.status === 'pending' && new Date(r.expires_at).getTime() <= now ? 'expired' : r.status;
