/**
 * The value list of every status-like column. The schema's `pgEnum`s are built from these and the
 * console's choices and filters read them, so a new value is added in exactly one place (plus the
 * migration drizzle-kit generates for it).
 */
export { USER_ROLES } from './roles';
export const ORDER_STATUSES = ['pending', 'paid', 'failed', 'cancelled', 'refunded'] as const;
export const ORDER_INTERVALS = ['one_time', 'month', 'year'] as const;
export const CREDIT_TRANSACTION_TYPES = ['new_user', 'order_pay', 'system_add', 'ping', 'ai_generation', 'refund', 'admin_adjust'] as const;
export const AI_TYPES = ['text', 'image', 'video'] as const;
export const GENERATION_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export const API_KEY_STATUSES = ['active', 'revoked'] as const;
export const AFFILIATE_STATUSES = ['pending', 'approved', 'paid', 'reversed'] as const;
export const POST_STATUSES = ['draft', 'published'] as const;
export const ASSET_KINDS = ['image', 'video', 'audio', 'document'] as const;
export const BADGE_CATEGORIES = ['milestone', 'streak', 'model', 'quality', 'video', 'special'] as const;
export const XP_SOURCES = ['generation', 'badge_reward', 'admin_grant'] as const;
export const MEMBER_ROLES = ['owner', 'admin', 'member'] as const;
export const INVITATION_STATUSES = ['pending', 'accepted', 'rejected', 'canceled'] as const;
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'failed'] as const;
/** The actions a four-eyes approval can hold back (server/src/approvals/registry.ts). */
export const APPROVAL_ACTIONS = ['grant_credits', 'refund', 'pay_commissions', 'change_role', 'rotate_key'] as const;

/**
 * Ready-made user segments (`filter={"segment":"payers"}`), each defined once on the server. A big
 * spender has paid at least BIG_SPENDER_MINOR_UNITS in total (minor units, all currencies summed);
 * inactive means signed up over 30 days ago with no generation, ledger entry or order since.
 */
export const USER_SEGMENTS = ['payers', 'big_spenders', 'inactive_30d'] as const;
export const BIG_SPENDER_MINOR_UNITS = 10_000;
export const INACTIVE_DAYS = 30;

/** Providers the console suggests in its filters; the column is free text so new providers need no migration. */
export const KNOWN_AI_PROVIDERS = ['openai', 'replicate', 'fal', 'anthropic'] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type CreditTransactionType = (typeof CREDIT_TRANSACTION_TYPES)[number];
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];
export type AffiliateStatus = (typeof AFFILIATE_STATUSES)[number];
