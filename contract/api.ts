import type { USER_SEGMENTS } from './enums';
import type { OperatorRole } from './roles';

/** Every error body: a sentence for people and, for bad input, the reason per field. */
export interface ApiError {
  message: string;
  errors?: Record<string, string>;
  requestId?: string;
}

/** `POST /api/auth/login` and `GET /api/auth/me`. */
export interface OperatorSession {
  id: number;
  email: string;
  name: string | null;
  role: OperatorRole;
  csrfToken: string;
}

/** `GET /api/auth/sso`: how the login page offers sign-in (asked before anyone is signed in). */
export interface SignInMethods {
  password: boolean;
  sso: { name: string; startUrl: string } | null;
}

/**
 * Why a single sign-on came back without a session: the callback sends the browser to the login
 * page with `?sso_error=<code>`, and the page shows the sentence (never text taken from the URL).
 */
export const SSO_ERRORS = {
  state: 'That sign-in link was already used or did not start in this browser. Sign in again.',
  provider: 'The identity provider did not sign you in. Sign in again, or ask an admin to check the single sign-on set-up.',
  rejected: 'The identity provider’s answer could not be verified. Sign in again; if it keeps failing, ask an admin to check the single sign-on set-up.',
  unreachable: 'The identity provider cannot be reached. Try again in a minute.',
  no_email: 'The identity provider did not share a verified email address for your account.',
  domain: 'Your email domain is not allowed to sign in to this console.',
  no_role: 'Your account is in no group that grants access to this console. Ask an admin to add you.',
  banned: 'This account is banned.',
  throttled: 'Too many sign-ins were started from your network. Wait a few minutes and try again.',
} as const;
export type SsoErrorCode = keyof typeof SSO_ERRORS;

export type StatsInterval = 'day' | 'week';

/** One bucket of the dashboard's series; money in cents. */
export interface StatsBucket {
  bucket: string;
  revenue: number;
  refunds: number;
  signups: number;
  generations: number;
  credits_granted: number;
  credits_spent: number;
}

/** The body of `GET /api/stats`. */
export interface StatsResponse {
  from: string;
  to: string;
  interval: StatsInterval;
  series: StatsBucket[];
  generations_by_status: { status: string; count: number }[];
  generations_by_provider: { provider: string; count: number }[];
  today: { revenue: number; signups: number; generations: number; credits_spent: number };
}

/** `POST /api/users/{id}/credits`: the balance after the change and its ledger entry. */
export interface CreditsAdjusted {
  id: number;
  left_credits: number;
  total_credits: number;
  transaction: Record<string, unknown>;
}

/** `POST /api/affiliates/approve|pay`: the commissions changed. */
export interface CommissionBatch {
  data: number[];
}

/** `GET /api/users/segments`: each ready-made segment's size, or why it has none (too costly here). */
export interface SegmentCount {
  segment: (typeof USER_SEGMENTS)[number];
  count: number | null;
  counted_at: string;
  why_not?: string;
}

/**
 * The 202 answer of an action that needs a second admin: nothing ran yet; `approval_request` is the
 * stored request (as GET /api/approval_requests/:id shows it).
 */
export interface PendingApproval {
  approval_request: { id: number; action: string; summary: string; status: string; expires_at: string };
  message: string;
}

export const isPendingApproval = (body: unknown): body is PendingApproval =>
  typeof body === 'object' && body !== null && 'approval_request' in body;
