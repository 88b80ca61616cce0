import { z } from 'zod';
import { USER_ROLES, type APPROVAL_ACTIONS } from '../../../contract';
import { providerKeyInput, rotateProviderKey } from '../ai/providerKeys';
import { changeUserRole } from '../auth/roleChanges';
import { grantCredits, grantInput } from '../billing/grantCredits';
import { refundInput, refundOrder } from '../billing/refundOrder';
import type { ApprovalConfig } from '../config/identity';
import { decryptSecret, encryptSecret, type KeyRing } from '../crypto/secretBox';
import { bulkInput, moveCommissions } from '../growth/affiliateCommission';
import type { AuditActor } from '../ops/writeAudit';
import type { ModelDeps, Row } from '../usecases/records';

export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

const recordId = z.number().int().min(1).max(2147483647);

/**
 * What an action runs with: the resource models, the key ring, and `db`, which on approval is the
 * deciding transaction (nothing else of the app: all it writes must be inside that transaction).
 */
export type RunDeps = ModelDeps & { keyRing: KeyRing };

/**
 * One action a second admin may have to approve. The route validates the input as always and asks
 * `holdForApproval`; approving parses the stored input again with the same schema and calls the same
 * use case, so a held action and one that ran at once cannot drift apart.
 */
export interface ApprovableAction<A> {
  /** The resource whose records the action changes, and which of them: the staleness check reads their `updated_at`. */
  resource: string;
  /** The matrix entry (`ACTION_ROLES[resource][permission]`) the requester needs, checked again at approval. */
  permission: string;
  /** The action's input, as the route passes it to the use case (and as stored, after `seal`). */
  args: z.ZodType<A>;
  targetIds(args: A): number[];
  /** Is this kind of action guarded at all? (Nothing is read when it is not.) */
  guarded(config: ApprovalConfig): boolean;
  /** Does this call need a second admin, given the target records as they are now? */
  needsApproval(config: ApprovalConfig, args: A, targets: Row[]): boolean;
  /** One line for the approver: what will happen to what. */
  summary(args: A, targets: Row[]): string;
  /** What is stored: a secret in the input leaves the process only encrypted. */
  seal?(deps: { keyRing: KeyRing }, args: A): Record<string, unknown>;
  unseal?(deps: { keyRing: KeyRing }, stored: Record<string, unknown>): unknown;
  run(deps: RunDeps, actor: AuditActor, args: A): Promise<unknown>;
}

const above = (limit: number | undefined, value: number) => limit !== undefined && value > limit;
const money = (minor: number, currency = '') => `${(minor / 100).toFixed(2)}${currency ? ` ${currency.toUpperCase()}` : ''}`;
const quote = (text: string) => `“${text.length > 200 ? `${text.slice(0, 200)}…` : text}”`;

const grant: ApprovableAction<z.output<typeof grantInput> & { userId: number }> = {
  resource: 'users',
  permission: 'grant_credits',
  args: grantInput.extend({ userId: recordId }),
  targetIds: (a) => [a.userId],
  guarded: (c) => c.creditsAbove !== undefined,
  needsApproval: (c, a) => above(c.creditsAbove, Math.abs(a.amount)),
  summary: (a, [user]) =>
    `${a.amount > 0 ? 'Grant' : 'Deduct'} ${Math.abs(a.amount).toLocaleString('en')} credits ${a.amount > 0 ? 'to' : 'from'} user ${a.userId} (${user?.email}): ${quote(a.reason)}`,
  run: async (deps, actor, a) => (await grantCredits(deps, actor, a)).adjustment,
};

const refund: ApprovableAction<z.output<typeof refundInput> & { orderId: number }> = {
  resource: 'orders',
  permission: 'refund',
  args: refundInput.extend({ orderId: recordId }),
  targetIds: (a) => [a.orderId],
  guarded: (c) => c.refundsAboveMinor !== undefined,
  needsApproval: (c, _a, [order]) => above(c.refundsAboveMinor, Number(order?.amount ?? 0)),
  summary: (a, [order]) =>
    `Refund order ${order?.order_no} (${money(Number(order?.amount ?? 0), String(order?.currency ?? ''))}, ${order?.credits} credits)${a.allow_partial ? ', partial allowed' : ''}${a.reason ? `: ${quote(a.reason)}` : ''}`,
  run: (deps, actor, a) => refundOrder(deps, actor, a),
};

const payCommissions: ApprovableAction<{ ids: number[] }> = {
  resource: 'affiliates',
  permission: 'pay',
  args: z.object({ ids: bulkInput.shape.ids.transform((ids) => [...new Set(ids)].sort((x, y) => x - y)) }),
  targetIds: (a) => a.ids,
  guarded: (c) => c.payoutsAboveMinor !== undefined,
  needsApproval: (c, _a, rows) => above(c.payoutsAboveMinor, rows.reduce((sum, r) => sum + Number(r.commission_amount ?? 0), 0)),
  summary: (a, rows) => `Pay out ${a.ids.length} commission${a.ids.length === 1 ? '' : 's'} totalling ${money(rows.reduce((sum, r) => sum + Number(r.commission_amount ?? 0), 0))} (ids ${a.ids.slice(0, 20).join(', ')}${a.ids.length > 20 ? ', …' : ''})`,
  run: (deps, actor, a) => moveCommissions(deps, actor, { step: 'pay', ids: a.ids }),
};

const changeRole: ApprovableAction<{ userId: number; role: (typeof USER_ROLES)[number] }> = {
  resource: 'users',
  permission: 'change_role',
  args: z.object({ userId: recordId, role: z.enum(USER_ROLES, { error: `One of ${USER_ROLES.join(', ')}` }) }),
  targetIds: (a) => [a.userId],
  guarded: (c) => c.roleChanges,
  needsApproval: (c) => c.roleChanges,
  summary: (a, [user]) => `Change the role of user ${a.userId} (${user?.email}) from ${user?.role} to ${a.role}`,
  run: (deps, actor, a) => changeUserRole(deps, actor, a),
};

const rotateKey: ApprovableAction<{ keyId: number; key: string }> = {
  resource: 'ai_provider_keys',
  permission: 'rotate',
  args: providerKeyInput.extend({ keyId: recordId }),
  targetIds: (a) => [a.keyId],
  guarded: (c) => c.keyRotation,
  needsApproval: (c) => c.keyRotation,
  summary: (a, [key]) => `Rotate the ${key?.provider} provider key (ending ${key?.last_four}) to a new key ending ${a.key.slice(-4)}`,
  // The new key waits sealed like a stored provider key; the approver never sees it.
  seal: (deps, a) => ({ keyId: a.keyId, sealed_key: encryptSecret(deps.keyRing, a.key).ciphertext }),
  unseal: (deps, stored) => ({ keyId: stored.keyId, key: typeof stored.sealed_key === 'string' ? decryptSecret(deps.keyRing, stored.sealed_key) : undefined }),
  run: (deps, actor, a) => rotateProviderKey(deps, actor, a),
};

/** Every action a four-eyes approval can hold back, by the name stored in `approval_requests.action`. */
export const APPROVABLE = {
  grant_credits: grant,
  refund,
  pay_commissions: payCommissions,
  change_role: changeRole,
  rotate_key: rotateKey,
} satisfies { [K in ApprovalAction]: unknown };

export type ArgsOf<K extends ApprovalAction> = (typeof APPROVABLE)[K] extends ApprovableAction<infer A> ? A : never;

type Loose = ApprovableAction<Record<string, unknown>>;

/** An entry with its input type erased, for code that handles any stored request. */
export function entryOf(action: string): Loose | undefined {
  return Object.hasOwn(APPROVABLE, action) ? (APPROVABLE[action as ApprovalAction] as unknown as Loose) : undefined;
}
